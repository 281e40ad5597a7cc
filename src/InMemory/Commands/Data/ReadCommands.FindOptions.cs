using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Commands.Data;

/// <summary>
/// The find options that depend on the index a query walks: min, max, returnKey and showRecordId (and noCursorTimeout,
/// which the cursor keeps).
/// </summary>
internal static partial class ReadCommands
{
    /// <summary>A find's index-dependent options, parsed and type-checked as mongod's find command does.</summary>
    private sealed class FindExtras
    {
        public BsonDocument? Min { get; private init; }

        public BsonDocument? Max { get; private init; }

        public bool ReturnKey { get; private init; }

        public bool ShowRecordId { get; private init; }

        public bool NoCursorTimeout { get; private init; }

        /// <summary>Nothing index-dependent was asked for: the find runs as before.</summary>
        public bool IsEmpty => Min is null && Max is null && !ReturnKey && !ShowRecordId;

        public static FindExtras Parse(BsonDocument cmd) => new()
        {
            Min = TypedDocument(cmd, "min"),
            Max = TypedDocument(cmd, "max"),
            ReturnKey = TypedBool(cmd, "returnKey"),
            ShowRecordId = TypedBool(cmd, "showRecordId"),
            NoCursorTimeout = TypedBool(cmd, "noCursorTimeout"),
        };

        /// <summary>
        /// A read of a view runs as an aggregation, which has none of these options: mongod refuses them as it
        /// converts the find.
        /// </summary>
        public void CheckNotView(ReadSource source)
        {
            if (!source.IsView) return;
            foreach (var (name, given) in new[] { ("min", Min is not null), ("max", Max is not null), ("returnKey", ReturnKey), ("showRecordId", ShowRecordId), ("noCursorTimeout", NoCursorTimeout) })
            {
                if (given) throw Engine.Errors.Of(ErrorCodes.InvalidPipelineOperator, "Option " + name + " not supported in aggregation.");
            }
        }

        /// <summary>
        /// The output plan: the bounded index scan for min/max, and how each result is rendered (its index key for
        /// returnKey, a $recordId for showRecordId). Null when the find needs none of it.
        /// </summary>
        public FindPlan? Plan(BsonDocument cmd, ReadSource source, BsonDocument? filter, BsonDocument? sort, Collator? collator)
        {
            if (IsEmpty) return null;
            var collection = source.Collection;
            var hinted = HintedIndex(cmd, collection);
            IndexKeyScan? scan = null;
            if (Min is { ElementCount: > 0 } || Max is { ElementCount: > 0 })
            {
                scan = IndexKeyScan.Bounded(hinted, Min, Max, collator);
            }

            IndexKeyScan? keys = null;
            if (ReturnKey)
            {
                var index = scan?.Index ?? hinted ?? ChosenIndex(collection, filter, sort);
                keys = index is null ? null : scan ?? IndexKeyScan.KeysOf(index);
            }

            if (ShowRecordId && !ReturnKey) collection?.AssignRecordIds();
            // A plan that walks an index meets the documents in the index's order, as mongod's index scan does.
            return new FindPlan(scan ?? keys, ReturnKey, keys, ShowRecordId && !ReturnKey ? collection : null, collator);
        }

        /// <summary>The index a find's hint names (null: no hint, $natural, or no collection).</summary>
        private static IndexData? HintedIndex(BsonDocument cmd, CollectionData? collection)
        {
            if (collection is null) return null;
            return cmd.GetValueOrDefault("hint") switch
            {
                BsonString { Value.Length: > 0 } name => collection.FindIndexByName(name.Value),
                BsonDocument { ElementCount: > 0 } key when key.GetElement(0).Name != "$natural" => collection.FindIndexByKey(key),
                _ => null,
            };
        }

        /// <summary>
        /// For returnKey without a hint, the index mongod's planner would walk. With no index whose leading field the
        /// filter or sort uses, the plan is a collection scan and every key is empty, as on mongod. With exactly one,
        /// that is the plan. With several, which one mongod's planner would pick is not modelled here: refused.
        /// </summary>
        private static IndexData? ChosenIndex(CollectionData? collection, BsonDocument? filter, BsonDocument? sort)
        {
            if (collection is null) return null;
            var fields = new HashSet<string>(StringComparer.Ordinal);
            if (filter is not null) foreach (var (name, _) in filter) if (!name.StartsWith('$')) fields.Add(name);
            if (sort is { ElementCount: > 0 }) fields.Add(sort.GetElement(0).Name);
            var usable = collection.Indexes.Where(i => i.Key.ElementCount > 0 && fields.Contains(i.Key.GetElement(0).Name)).ToList();
            return usable.Count switch
            {
                0 => null,
                1 => usable[0],
                _ => throw Errors.NotImplemented(
                    "returnKey without a hint when several indexes could answer the query is not supported by Mongo.InMemory (it does not model which one mongod's planner picks): add a hint"),
            };
        }

        private static BsonDocument? TypedDocument(BsonDocument cmd, string field) =>
            cmd.GetValueOrDefault(field) switch
            {
                null or BsonNull => null,
                BsonDocument d => d,
                var other => throw Errors.TypeMismatch("BSON field 'FindCommandRequest." + field + "' is the wrong type '" + TypeName(other) + "', expected type 'object'"),
            };

        private static bool TypedBool(BsonDocument cmd, string field) =>
            cmd.GetValueOrDefault(field) switch
            {
                null or BsonNull => false,
                BsonBoolean b => b.Value,
                var other => throw Errors.TypeMismatch("BSON field 'FindCommandRequest." + field + "' is the wrong type '" + TypeName(other) + "', expected type 'bool'"),
            };

        private static string TypeName(BsonValue value) => value.BsonType switch
        {
            BsonType.Double => "double",
            BsonType.String => "string",
            BsonType.Document => "object",
            BsonType.Array => "array",
            BsonType.Boolean => "bool",
            BsonType.Int32 => "int",
            BsonType.Int64 => "long",
            BsonType.Decimal128 => "decimal",
            _ => value.BsonType.ToString().ToLowerInvariant(),
        };
    }

    /// <summary>How a find with index-dependent options reads and renders its results.</summary>
    /// <param name="bounds">The index walk that yields the candidates (bounded by min/max or not), null for a collection scan.</param>
    /// <param name="returnKey">Render each result as its index key.</param>
    /// <param name="keys">The index whose keys returnKey reports (null: a collection scan, empty keys).</param>
    /// <param name="recordIds">The collection whose record ids showRecordId adds (null: none added).</param>
    /// <param name="collator">The query's collation.</param>
    private sealed class FindPlan(IndexKeyScan? bounds, bool returnKey, IndexKeyScan? keys, CollectionData? recordIds, Collator? collator)
    {
        /// <summary>The candidates in the order the plan meets them: the index's (range), or natural order.</summary>
        public IEnumerable<BsonDocument> Candidates(IEnumerable<BsonDocument> all) =>
            bounds is null ? all : bounds.Scan(all, collator);

        /// <summary>Whether the documents come in the index's order (a natural-order reversal does not apply).</summary>
        public bool IndexOrdered => bounds is not null;

        /// <summary>One result as the client sees it.</summary>
        public BsonDocument Render(BsonDocument stored, MatchState? state, Projection? projection)
        {
            if (returnKey)
            {
                // returnKey replaces the document by its index key (empty on a collection scan); projection and
                // showRecordId do not apply, as on mongod.
                return keys is null ? new BsonDocument() : keys.KeyDocument(stored, collator);
            }

            var result = projection is null ? (BsonDocument)stored.DeepClone() : projection.Apply(stored, state);
            if (recordIds is not null) result.Set("$recordId", new BsonInt64(recordIds.RecordIdOf(stored)));
            return result;
        }
    }
}
