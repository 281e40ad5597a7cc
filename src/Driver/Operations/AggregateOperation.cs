using Mongo.Bson;
using Mongo.Driver.Sessions;
using Mongo.Driver.Util;

namespace Mongo.Driver.Operations;

/// <summary>The <c>aggregate</c> command for collections (<c>aggregate: "name"</c>) and databases (<c>aggregate: 1</c>).</summary>
internal static class AggregateOperation
{
    public static async ValueTask<MongoCursor<T>> ExecuteAsync<T>(bool async, IOperationExecutor executor, string database, string? collection, IEnumerable<BsonDocument> pipeline, AggregateOptions? options, ReadConcern readConcern, WriteConcern writeConcern, ReadPreference readPreference, DocumentCodec<T> codec, OperationContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var stages = Commands.ToArray(pipeline);
        bool writes = stages.Count > 0 && stages[^1] is BsonDocument last && last.ElementCount > 0 && last.GetElement(0).Name is "$out" or "$merge";
        var body = new BsonDocument { { "aggregate", collection is null ? new BsonInt32(1) : new BsonString(collection) }, { "pipeline", stages } };
        var cursor = new BsonDocument();
        if (options?.BatchSize is { } batchSize && !(writes && batchSize == 0))
        {
            cursor.Add("batchSize", batchSize);
        }

        body.Add("cursor", cursor);
        if (options is not null)
        {
            body.AddIf("allowDiskUse", options.AllowDiskUse);
            body.AddIf("bypassDocumentValidation", options.BypassDocumentValidation);
            body.AddIf("collation", options.Collation);
            body.AddIf("hint", options.Hint);
            body.AddIf("comment", options.Comment);
            body.AddIf("let", options.Let);
            body.AddMaxTime(options.MaxTime);
        }

        body.AddReadConcern(executor.ReadConcernFor(options?.ReadConcern, readConcern));
        if (writes)
        {
            body.AddWriteConcern(executor.WriteConcernFor(options?.WriteConcern, writeConcern));
        }

        ReadPreference effective = executor.ReadPreferenceFor(options?.ReadPreference, readPreference);
        bool iteration = OperationTimeouts.IsIteration(context, options?.TimeoutMode, tailable: false, maxAwaitTime: null, writeStage: writes);
        if (iteration)
        {
            // Iteration mode: timeoutMS bounds the aggregate but derives no maxTimeMS (the spec's cursor rules).
            context = context.With(ct, omitMaxTime: true);
        }

        CommandOperation message = writes
            ? new WriteStageAggregateCommand(database, body, effective) { Context = context, RawData = options?.RawData == true }
            : new ReadCommand(database, body, effective, opensCursor: true) { Context = context, RawData = options?.RawData == true };
        var response = await CursorFactory.ExecuteAsync(async, executor, message, ct).ConfigureAwait(false);
        return CursorFactory.Create(executor, codec, response, database, collection ?? "$cmd.aggregate", options?.BatchSize, comment: options?.Comment, context: context, iterationTimeout: iteration);
    }
}
