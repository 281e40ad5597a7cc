using Microsoft.Extensions.Logging;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Sessions;
using Mongo.Driver.Topology;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Operations;

/// <summary>
/// What a client owns below the public API: the cluster (topology, monitors, pools), server selection,
/// connection checkout, command send/receive, error classification and SDAM error handling, and one retry
/// for retryable reads and writes.
/// </summary>
internal sealed partial class OperationExecutor : IOperationExecutor
{
    private static readonly byte[] s_okReply = new BsonDocument("ok", 1.0).ToBytes();

    private readonly bool _retryReads;
    private readonly bool _retryWrites;
    private readonly TimeSpan? _timeout;
    private BsonDocument? _clusterTime;
    private ulong _clusterTimeValue;
    private readonly ServerSessionPool _sessions;

    /// <summary>
    /// The executor of a client: the cluster (which resolves a mongodb+srv host in the background when it starts, so no DNS
    /// happens here), the retry settings and the overload retry policy (client backpressure spec).
    /// </summary>
    public OperationExecutor(MongoClientSettings settings)
        : this(ClusterSettings.From(settings), settings.RetryReads, settings.RetryWrites, settings.Timeout)
    {
        Backpressure = new OverloadRetryPolicy(settings.MaxAdaptiveRetries, settings.EnableOverloadRetargeting);
    }

    internal OperationExecutor(ClusterSettings settings, bool retryReads = true, bool retryWrites = true, TimeSpan? timeout = null)
    {
        Cluster = new Cluster(settings);
        _sessions = new ServerSessionPool(() => Cluster.Description.LogicalSessionTimeoutMinutes, settings.LoadBalanced);
        _retryReads = retryReads;
        _retryWrites = retryWrites;
        _timeout = timeout;
    }

    public Cluster Cluster { get; }

    /// <inheritdoc />
    public bool Tracing => Cluster.Settings.Events.Tracing;

    /// <summary>The highest $clusterTime seen (gossiped to replica sets and mongos).</summary>
    internal BsonDocument? ClusterTime => Volatile.Read(ref _clusterTime);

    /// <summary>
    /// The limits batches are split by, read from the writable server the topology knows (the 8.0 defaults before one is
    /// known). No server is selected here: the operation's first batch selects the server its later batches reuse, and a
    /// selection made only to read limits would be one more than the operation's (server-selection logging counts them) and would wait out
    /// serverSelectionTimeoutMS apart from the operation's own selection.
    /// </summary>
    public ValueTask<ServerLimits> GetWriteLimitsAsync(bool async, CancellationToken ct)
    {
        foreach (ServerDescription server in Cluster.Description.Servers.Values)
        {
            if (server.IsWritable && server.Hello is { } hello)
            {
                return new(ServerLimits.FromHello(hello));
            }
        }

        return new(ServerLimits.Default);
    }

    public async ValueTask<CommandResponse> ExecuteAsync(bool async, CommandOperation message, CancellationToken ct)
    {
        // A command sent without its call's context is a call of its own, under the client's timeoutMS.
        OperationContext operation = message.Context ?? OperationContext.Start(_timeout, ct);
        Deadline deadline = operation.Deadline;
        ServerSelector selector = message.PinnedServer is { } pinned ? ServerSelector.ForAddress(pinned)
            : message.IsWrite ? ServerSelector.Write
            : message.HasWriteStage ? ServerSelector.ForWriteStage(message.ReadPreference)
            : ServerSelector.ForRead(message.ReadPreference);

        // Transactions spec: no command of a transaction is retried here (the session retries commit and abort itself).
        Sessions.TransactionFields? transaction = message.Transaction;

        // A command whose body already carries a txnNumber (runCommand) is retried as the caller built it.
        bool callerTxnNumber = transaction is null && message.IsWrite && _retryWrites && !message.MoreToCome && message.Body.Contains("txnNumber");
        bool retryableRead = transaction is null && message.Retry == RetryKind.Read && _retryReads && message.PinnedServer is null;
        var context = new AttemptState(message.Session) { TxnNumber = transaction?.TxnNumber };
        Exception? firstError = null;
        MongoServerAddress[]? deprioritized = null;
        // A command of an operation that sends several (a cursor's getMore, a bulk write's batch) is a child of its span.
        OperationSpan? ambient = OperationSpan.Current;
        OperationTelemetry telemetry = ambient is null ? OperationTelemetry.Start(message.CommandName, message.Database, message.Body, isCommand: false, Cluster.Settings.Events, BatchSize(message),
            message is RunCommand ? OperationTelemetry.RunCommandOperation : null) : default;
        MongoServerAddress? lastServer = null;
        Exception? operationError = null;
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                context.Attempt = attempt;
                SelectedServer selection;
                if (attempt == 0 && SelectedWriteServer(selector, operation) is { } earlier)
                {
                    // A later write of the same call (a bulk write's next batch) runs where the call's writes went: the call
                    // selects once; only a retry selects again.
                    selection = earlier;
                }
                else
                {
                    try
                    {
                        selection = await Cluster.SelectServerAsync(async, selector, deadline, ct, deprioritized, message.CommandName, operation.OperationId).ConfigureAwait(false);
                    }
                    catch (MongoException) when (firstError is not null && !(operation.IsTimeoutSet && operation.Deadline.HasExpired))
                    {
                        // Retryable reads/writes: if no server can be selected for the retry, report the original error.
                        return FirstOutcome(firstError);
                    }
                    catch (MongoTimeoutException ex) when (operation.IsTimeoutSet && ex is not MongoOperationTimeoutException)
                    {
                        throw new MongoOperationTimeoutException("Server selection did not complete within timeoutMS (" + OperationContext.Describe(operation.Timeout) + ").", ex);
                    }

                    if (ReferenceEquals(selector, ServerSelector.Write))
                    {
                        operation.WriteServer = selection.Server;
                    }
                }

                // Decisions below use the description the server was selected by: its live one may already say Unknown
                // (another operation's NotWritablePrimary), which would make a write that must be retryable run once.
                Server server = selection.Server;
                ServerDescription selected = selection.Description;
                telemetry.Server(server.Address);
                ambient?.Server(server.Address);
                lastServer = server.Address;
                if (transaction is not null)
                {
                    transaction.SelectedServer = server.Address;
                    transaction.SelectedServerType = selected.Type;
                }

                if (attempt == 0)
                {
                    // Retryable-writes spec: decided on the server selected for the first attempt (standalones and
                    // servers without sessions run the write once, without a txnNumber).
                    context.RetryableWrite = callerTxnNumber
                        || (transaction is null && message.Retry == RetryKind.Write && _retryWrites && !message.MoreToCome && !message.NoSession && SupportsRetryableWrites(selected));
                }
                else if (firstError is not null && message.IsWrite && context.RetryableWrite && !callerTxnNumber && !SupportsRetryableWrites(selected))
                {
                    return FirstOutcome(firstError);
                }

                try
                {
                    CommandResponse response = await ExecuteOnServerAsync(async, server, message, operation, deadline, context, ct).ConfigureAwait(false);
                    if (message.KeepSession && context.OwnsSession)
                    {
                        // A cursor keeps the session for its getMores, a bulk write for its next batches; they return it.
                        context.OwnsSession = false;
                        return new CommandResponse(response.Reply, context.Session);
                    }

                    return response;
                }
                catch (MongoException ex) when (DecideRetry(ex, message, context, retryableRead, operation, attempt) == RetryVerdict.Retry)
                {
                    // Retry: once, under timeoutMS for as long as time is left (client-side operations timeout spec
                    // "Retryability"), and after an overload error with a backoff, at most maxAdaptiveRetries times.
                    firstError = ex;
                    deprioritized = Deprioritize(deprioritized, server, ex);
                    if (!await Backpressure.WaitBeforeRetryAsync(async, attempt + 1, ex, operation, ct).ConfigureAwait(false))
                    {
                        // Client backpressure spec: a backoff that would outlast timeoutMS is not slept; the error stands.
                        throw;
                    }
                }
                catch (MongoException ex) when (DecideRetry(ex, message, context, retryableRead, operation, attempt) == RetryVerdict.OutOfTime)
                {
                    // Retryable, but timeoutMS has run out: the spec's timeout error, with the last attempt's error as the cause.
                    throw new MongoOperationTimeoutException("The operation exceeded timeoutMS (" + OperationContext.Describe(operation.Timeout) + ") while retrying.", ex);
                }
                catch (MongoException ex) when (firstError is not null && message.IsWrite && ex.HasErrorLabel("NoWritesPerformed"))
                {
                    // The retry wrote nothing: the first attempt's error is the one that says what happened.
                    return FirstOutcome(firstError);
                }
                catch (MongoCommandException ex) when (transaction is null && context.TxnNumber is not null && IsTxnNumbersUnsupported(ex))
                {
                    throw new MongoClientException(
                        "This MongoDB deployment does not support retryable writes (the server refused the txnNumber: " + ex.Message
                        + "). Add retryWrites=false to the connection string.", ex);
                }
            }
        }
        catch (Exception ex) when (Note(ex, out operationError))
        {
            throw; // never reached: the filter only records the error for the span
        }
        catch (MongoOperationTimeoutException)
        {
            operation.MarkTimedOut();
            throw;
        }
        catch (MongoException ex) when (operation.IsTimeoutSet && IsTimeoutError(ex))
        {
            operation.MarkTimedOut();
            // Client-side operations timeout spec "Error Transformations": the server's MaxTimeMSExpired (code 50, at the top
            // level or in a writeConcernError) and socket timeouts surface as the one timeout error, keeping the cause.
            var timeout = new MongoOperationTimeoutException("The operation exceeded timeoutMS (" + OperationContext.Describe(operation.Timeout) + ").", ex);
            operationError = timeout; // the span reports the error the caller gets
            throw timeout;
        }
        finally
        {
            telemetry.Stop(operationError, lastServer);
            if (context.OwnsSession)
            {
                _sessions.Release(context.Session!);
            }
        }
    }

    /// <summary>
    /// The server an earlier write of <paramref name="operation"/> selected, when this command is a write too and that
    /// server is still the topology's and still writable (a stepped-down primary or a removed server is selected anew).
    /// </summary>
    private SelectedServer? SelectedWriteServer(ServerSelector selector, OperationContext operation) =>
        ReferenceEquals(selector, ServerSelector.Write) && operation.WriteServer is { } server
            && ReferenceEquals(Cluster.GetServer(server.Address), server) && server.Description is { IsWritable: true } description
            ? new SelectedServer(server, description)
            : null;

    /// <summary>An exception filter that records the error and catches nothing.</summary>
    private static bool Note(Exception error, out Exception? noted)
    {
        noted = error;
        return false;
    }

    /// <summary>Documents sent in a document sequence (a batch of inserts, updates or deletes), for <c>db.operation.batch.size</c>.</summary>
    private static int BatchSize(CommandOperation message) => message.Sequences.Count == 0 ? 0 : message.Sequences[0].Documents.Count;

    /// <summary>
    /// Client-side operations timeout spec "Command Execution": under a finite timeoutMS a command carries
    /// <c>maxTimeMS</c> = time left minus the server's minimum round-trip time, and is not sent at all when the time left
    /// is no more than that round trip (it would only time out on the socket and churn connections). Commands whose
    /// call said so (getMores, iteration-mode and tailable cursors) carry none.
    /// </summary>
    private static long? MaxTimeFor(CommandOperation message, OperationContext operation, ServerDescription server)
    {
        if (!operation.IsTimeoutSet || operation.Deadline.IsInfinite)
        {
            return null;
        }

        TimeSpan left = operation.Deadline.TimeLeft;
        TimeSpan minRtt = server.MinRoundTripTime;
        if (left <= minRtt || left <= TimeSpan.Zero)
        {
            throw new MongoOperationTimeoutException("The operation exceeded timeoutMS (" + OperationContext.Describe(operation.Timeout) + ") before "
                + message.CommandName + " could be sent to " + server.Address + " (time left " + ((long)left.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)
                + " ms, minimum round trip " + ((long)minRtt.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " ms).");
        }

        long remaining = Math.Max(1, (long)Math.Floor((left - minRtt).TotalMilliseconds));
        if (message.CommandName == "getMore")
        {
            // An awaitData getMore waits maxAwaitTimeMS on the server, but never longer than the time left.
            return message.Body.GetValueOrDefault("maxTimeMS") is { IsNumeric: true } maxAwait ? Math.Min(maxAwait.ToInt64(), remaining) : null;
        }

        return operation.OmitMaxTime || message.MoreToCome ? null : remaining;
    }

    /// <summary>An ok:1 reply's MaxTimeMSExpired (code 50) in writeConcernError or writeErrors, as an ok:0 error document; else null.</summary>
    private static BsonDocument? NestedMaxTimeExpired(BsonDocument reply)
    {
        if (reply.GetValueOrDefault("writeConcernError") is BsonDocument concern && IsMaxTimeExpired(concern))
        {
            return ErrorDocument(concern);
        }

        if (reply.GetValueOrDefault("writeErrors") is BsonArray errors)
        {
            foreach (BsonValue error in errors)
            {
                if (error is BsonDocument document && IsMaxTimeExpired(document))
                {
                    return ErrorDocument(document);
                }
            }
        }

        return null;

        static bool IsMaxTimeExpired(BsonDocument error) =>
            error.GetValueOrDefault("code") is { IsNumeric: true } code && code.ToInt32() == ErrorCodes.MaxTimeMSExpired;

        static BsonDocument ErrorDocument(BsonDocument error)
        {
            var document = new BsonDocument { { "ok", 0.0 } };
            foreach (BsonElement element in error.Elements)
            {
                if (element.Name is "code" or "codeName" or "errmsg")
                {
                    document.Add(element.Name, element.Value);
                }
            }

            return document;
        }
    }

    /// <summary>An error the timeout error replaces when timeoutMS is set: MaxTimeMSExpired (50, by code only) or a network timeout.</summary>
    internal static bool IsTimeoutError(MongoException error) =>
        error is MongoTimeoutException
        || (error is MongoServerException server && server.Code == ErrorCodes.MaxTimeMSExpired)
        || (error is MongoConnectionException && Connections.ConnectionErrors.IsNetworkTimeout(error));

    private async ValueTask<CommandResponse> ExecuteOnServerAsync(bool async, Server server, CommandOperation message, OperationContext operation, Deadline deadline, AttemptState context, CancellationToken ct)
    {
        IConnection? connection = null;
        Sessions.TransactionFields? transaction = message.Transaction;
        bool pinned = false;
        OperationTelemetry telemetry = default;
        Exception? commandError = null;
        server.IncrementOperationCount();
        try
        {
            if ((transaction?.PinnedConnection ?? transaction?.NewPin) is { } pin && pin.Server == server)
            {
                // Load-balanced transaction: the connection of its first command (also when that command is sent again
                // after an overload error), never checked in between commands.
                connection = pin.Connection;
                pinned = true;
            }
            else
            {
                connection = await server.Pool.CheckOutAsync(async, deadline, ct).ConfigureAwait(false);
                if (transaction is { IsCommitOrAbort: false } && server.Description.Type == ServerType.LoadBalancer)
                {
                    transaction.NewPin = new Sessions.PinnedConnection(connection, server);
                    pinned = true;
                }
            }

            telemetry = OperationTelemetry.Start(message.CommandName, message.Database, message.Body, isCommand: true, Cluster.Settings.Events);
            telemetry.Server(server.Address);
            telemetry.Peer(connection as Connection);
            ServerDescription description = server.Description;
            long? maxTimeMS = MaxTimeFor(message, operation, description);
            ServerSession? session = SessionFor(message, connection, context);
            CommandExtras extras = new()
            {
                ReadPreference = message.IsWrite ? null : ReadPreferenceDocument(
                    message.HasWriteStage && ServerSelector.WriteStageNeedsPrimary(Cluster.Description) ? null : message.ReadPreference, description, Cluster.Description.Type),
                ClusterTime = description.Type is ServerType.Standalone or ServerType.Unknown ? null : HigherClusterTime(ClusterTime, message.ClusterTime),
                SessionId = session?.Lsid,
                TxnNumber = session is null ? null : context.TxnNumber,
                Transaction = message.Transaction,
                Events = Cluster.Settings.Events,
                OperationId = operation.OperationId,
                MaxTimeMS = maxTimeMS,
                TimeoutMS = operation.IsTimeoutSet,
                Span = telemetry.Activity,
            };
            CommandReply? response;
            try
            {
                response = await connection.ExecuteAsync(async, message, extras, deadline, ct).ConfigureAwait(false);
            }
            catch (MongoException ex)
            {
                if (ex is MongoConnectionException)
                {
                    // The server may still hold state for the session (driver-sessions spec: dirty sessions are discarded).
                    session?.MarkDirty();
                    if (message.IsWrite && context.RetryableWrite)
                    {
                        ex.AddErrorLabel("RetryableWriteError");
                    }
                }

                server.HandleError(ex, connection.Generation, duringHandshake: false);
                throw;
            }

            if (response is null)
            {
                return new CommandResponse(new CommandReply { Server = server.Address, Bytes = s_okReply });
            }

            bool ok;
            bool writeConcernError;
            MongoCommandException? failure = null;
            try
            {
                ok = ScanReply(response.Bytes.Span, description.Type != ServerType.Standalone, out writeConcernError);
                failure = ok ? null : ExceptionFactory.CreateCommandException(message.CommandName, response.Body, server.Address);
            }
            catch (BsonException ex)
            {
                // Well framed but not BSON: the server (or what sits between) cannot be trusted on this connection. It is
                // broken and SDAM hears of it as of any network error, instead of the caller getting a raw decoding error.
                var corrupt = new MongoProtocolException("The reply of " + server.Address + " to " + message.CommandName + " is not valid BSON: " + ex.Message, ex);
                if (message.IsWrite && context.RetryableWrite)
                {
                    corrupt.AddErrorLabel("RetryableWriteError");
                }

                connection.Break(corrupt);
                server.HandleError(corrupt, connection.Generation, duringHandshake: false);
                throw corrupt;
            }

            if (failure is { } error)
            {
                if (message.IsWrite && context.RetryableWrite && connection.Description?.MaxWireVersion < Wire.WireVersion.Server44 && ErrorCodes.IsRetryableWrite(error.Code))
                {
                    // Pre-4.4 servers do not label retryable write errors; the driver does (4.4+ labels are the server's alone).
                    error.AddErrorLabel("RetryableWriteError");
                }

                server.HandleError(error, connection.Generation, duringHandshake: false);
                throw error;
            }

            if (writeConcernError)
            {
                // SDAM: a writeConcernError's code is checked like a command error's ("not writable primary", "node is recovering").
                server.HandleWriteConcernError(response.Body, connection.Generation);
            }

            if (operation.IsTimeoutSet && NestedMaxTimeExpired(response.Body) is { } expired)
            {
                // Client-side operations timeout spec "Error Transformations": MaxTimeMSExpired in a write error or a
                // writeConcernError of an ok:1 reply is a timeout too.
                response.Lease?.Return();
                throw new MongoOperationTimeoutException("The operation exceeded timeoutMS (" + OperationContext.Describe(operation.Timeout) + ").",
                    ExceptionFactory.CreateCommandException(message.CommandName, expired, server.Address));
            }

            if (message.IsWrite && context.RetryableWrite && context.Attempt == 0 && HasRetryableWriteErrorLabel(response))
            {
                // An ok:1 reply with a labelled writeConcernError: retried like an error; callers still get a reply to read.
                throw new RetryableWriteConcernErrorException(new CommandResponse(response));
            }

            telemetry.CursorCreated(response);
            return new CommandResponse(response);
        }
        catch (Exception ex) when (Note(ex, out commandError))
        {
            throw; // never reached: the filter only records the error for the span
        }
        catch (MongoConnectionException ex) when (connection is null && message.IsWrite && context.RetryableWrite)
        {
            // A network error establishing the connection or a cleared pool (retryable-writes spec: labelled when retryWrites is on).
            ex.AddErrorLabel("RetryableWriteError");
            throw;
        }
        finally
        {
            telemetry.Stop(commandError);
            if (connection is not null && !pinned)
            {
                server.Pool.CheckIn(connection);
            }

            server.DecrementOperationCount();
        }
    }

    /// <summary>The first attempt's outcome when the retry cannot change it: its error, or its reply with a writeConcernError.</summary>
    private static CommandResponse FirstOutcome(Exception firstError) =>
        firstError is RetryableWriteConcernErrorException writeConcern ? writeConcern.Response : throw firstError;

    private static bool IsRetryable(MongoException error, bool isWrite)
    {
        if (error is MongoConnectionException and not MongoAuthenticationException)
        {
            return true;
        }

        if (isWrite)
        {
            return error.HasErrorLabel("RetryableWriteError");
        }

        return error is MongoServerException server && ErrorCodes.IsRetryable(server.Code);
    }

    /// <summary>$readPreference as the server-selection spec requires it for OP_MSG.</summary>
    internal static BsonDocument? ReadPreferenceDocument(ReadPreference? readPreference, ServerDescription server, TopologyType topology)
    {
        ReadPreferenceMode mode = readPreference?.Mode ?? ReadPreferenceMode.Primary;
        if (server.Type == ServerType.Standalone)
        {
            return null;
        }

        if (topology == TopologyType.Single && server.Type != ServerType.Mongos && mode == ReadPreferenceMode.Primary)
        {
            // A direct connection to a replica set member must be able to read from a secondary.
            return new BsonDocument("mode", "primaryPreferred");
        }

        if (mode == ReadPreferenceMode.Primary)
        {
            return null;
        }

        var document = new BsonDocument("mode", ReadPreference.GetModeName(mode));
        if (readPreference!.TagSets.Count > 0)
        {
            var tagSets = new BsonArray();
            foreach (TagSet set in readPreference.TagSets)
            {
                var tags = new BsonDocument();
                foreach (ReadPreferenceTag tag in set)
                {
                    tags.Add(tag.Name, tag.Value);
                }

                tagSets.Add(tags);
            }

            document.Add("tags", tagSets);
        }

        if (readPreference.MaxStaleness is { } maxStaleness)
        {
            document.Add("maxStalenessSeconds", (int)maxStaleness.TotalSeconds);
        }

        return document;
    }

    /// <summary>Checks ok and picks up $clusterTime in one pass over the reply's top-level elements.</summary>
    private bool ScanReply(ReadOnlySpan<byte> reply, bool gossip, out bool writeConcernError)
    {
        bool ok = false;
        writeConcernError = false;
        var reader = new BsonReader(reply);
        reader.Read();
        while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
        {
            if (reader.TokenType == BsonTokenType.StartDocument && gossip && reader.NameEquals("$clusterTime"u8))
            {
                if (reader.GetValue() is BsonDocument clusterTime)
                {
                    AdvanceClusterTime(clusterTime);
                }

                continue;
            }

            if (reader.TokenType is BsonTokenType.StartDocument or BsonTokenType.StartArray)
            {
                writeConcernError |= reader.TokenType == BsonTokenType.StartDocument && reader.NameEquals("writeConcernError"u8);
                reader.Skip();
                continue;
            }

            if (reader.NameEquals("ok"u8))
            {
                ok = reader.CurrentType switch
                {
                    BsonType.Double => reader.GetDouble() == 1.0,
                    BsonType.Int32 => reader.GetInt32() == 1,
                    BsonType.Int64 => reader.GetInt64() == 1,
                    BsonType.Boolean => reader.GetBoolean(),
                    _ => false,
                };
            }
        }

        return ok;
    }

    /// <summary>Driver-sessions spec: a command gossips the higher of the client's and its session's $clusterTime.</summary>
    private static BsonDocument? HigherClusterTime(BsonDocument? client, BsonDocument? session) =>
        session?.GetValueOrDefault("clusterTime") is BsonTimestamp s && (client?.GetValueOrDefault("clusterTime") is not BsonTimestamp c || s.Value > c.Value) ? session : client;

    private void AdvanceClusterTime(BsonDocument clusterTime)
    {
        if (!clusterTime.TryGetValue("clusterTime", out BsonValue? value) || value is not BsonTimestamp timestamp)
        {
            return;
        }

        lock (this)
        {
            if (_clusterTime is null || timestamp.Value > _clusterTimeValue)
            {
                _clusterTimeValue = timestamp.Value;
                Volatile.Write(ref _clusterTime, clusterTime);
            }
        }
    }

    public ValueTask DisposeAsync() => CloseAsync(async: true);

    public async ValueTask CloseAsync(bool async)
    {
        await EndSessionsAsync(async).ConfigureAwait(false);
        Cluster.Dispose();
    }
}
