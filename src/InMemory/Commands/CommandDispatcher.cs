using System.Collections.Frozen;
using Mongo.Bson;
using Mongo.InMemory.Commands.Admin;
using Mongo.InMemory.FailPoints;
using Mongo.InMemory.Server;
using Mongo.InMemory.Server.Replication;
using Mongo.InMemory.Wire;

namespace Mongo.InMemory.Commands;

/// <summary>
/// Routes a parsed request to its handler by the first element's name, applies fail points, and renders the
/// reply or the error in the server's shape (ok, errmsg, code, codeName, errorLabels; $clusterTime and
/// operationTime in replica-set mode).
/// </summary>
internal sealed partial class CommandDispatcher
{
    private static readonly FrozenSet<string> s_helloNames = FrozenSet.ToFrozenSet(["hello", "isMaster", "ismaster"], StringComparer.Ordinal);
    private static readonly FrozenSet<string> s_retryableWriteCommands =
        FrozenSet.ToFrozenSet(["insert", "update", "delete", "findAndModify", "bulkWrite"], StringComparer.Ordinal);

    /// <summary>Besides hello, the handshake's authentication may still arrive as OP_QUERY (the driver sends it so).</summary>
    private static readonly FrozenSet<string> s_legacyAuthCommands = FrozenSet.ToFrozenSet(["saslStart", "saslContinue", "authenticate"], StringComparer.Ordinal);

    /// <summary>Commands a connection may run before it authenticates (as on a server with authorization enabled).</summary>
    private static readonly FrozenSet<string> s_noAuthCommands = FrozenSet.ToFrozenSet(
        ["hello", "isMaster", "ismaster", "saslStart", "saslContinue", "authenticate", "ping", "buildInfo", "buildinfo", "logout", "connectionStatus", "endSessions"],
        StringComparer.Ordinal);

    private readonly ServerState _state;
    private readonly FrozenDictionary<string, ICommandHandler> _handlers;
    private readonly ReadConcernRules _readConcern;

    public CommandDispatcher(ServerState state, IEnumerable<ICommandHandler>? extraHandlers = null)
    {
        _state = state;
        _readConcern = new ReadConcernRules(state);
        var handlers = new Dictionary<string, ICommandHandler>(StringComparer.Ordinal);
        foreach (ICommandHandler handler in AdminCommands.All().Concat(ReplSetCommands.All()).Concat(DataCommands.All()).Concat(extraHandlers ?? []))
        {
            foreach (string name in handler.Names)
            {
                handlers[name] = handler; // data commands registered later win over an admin stub of the same name
            }
        }

        _handlers = handlers.ToFrozenDictionary(StringComparer.Ordinal);
        state.CommandNames = _handlers.Keys;
    }

    public async ValueTask<DispatchResult> ExecuteAsync(WireRequest request, ConnectionInfo connection, CancellationToken cancellationToken)
    {
        BsonDocument command = request.Command;
        if (command.ElementCount == 0)
        {
            return DispatchResult.Send(ErrorReply(ErrorCodes.FailedToParse, "FailedToParse", "Empty command object", null));
        }

        string name = command.GetElement(0).Name;
        _state.Statistics.CommandReceived(name);
        if (request.IsLegacyQuery && !s_helloNames.Contains(name) && !s_legacyAuthCommands.Contains(name))
        {
            return DispatchResult.Send(ErrorReply(
                ErrorCodes.UnsupportedOpQueryCommand,
                "UnsupportedOpQueryCommand",
                $"Unsupported OP_QUERY command: {name}. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal",
                null));
        }

        string? database = request.Database;
        if (database is null)
        {
            return DispatchResult.Send(request.IsLegacyQuery
                ? ErrorReply(ErrorCodes.UnsupportedOpQueryCommand, "UnsupportedOpQueryCommand", "OP_QUERY is only supported for commands on <db>.$cmd", null)
                : ErrorReply(ErrorCodes.Location40571, "Location40571", "OP_MSG requests require a $db argument", null));
        }

        if (!_handlers.TryGetValue(name, out ICommandHandler? handler))
        {
            return DispatchResult.Send(ErrorReply(ErrorCodes.CommandNotFound, "CommandNotFound", $"no such command: '{name}'", null));
        }

        if (s_helloNames.Contains(name))
        {
            // The handshake's client metadata names the application before fail points are consulted, so an
            // appName-filtered fail point can hit the handshake itself, as on a real server.
            HelloCommand.RecordClientMetadata(command, connection);
        }

        if (_state.Users.AuthenticationRequired && connection.AuthenticatedUser is null && !s_noAuthCommands.Contains(name))
        {
            return DispatchResult.Send(ErrorReply(ErrorCodes.Unauthorized, "Unauthorized", $"Command {name} requires authentication", null));
        }

        // As mongod: the session fields are checked before the failCommand fail point, the transaction rules after it.
        if (SessionOptionRules.CheckSessionInfo(_state, command, requiresAuth: !s_noAuthCommands.Contains(name)) is CommandException invalid)
        {
            return DispatchResult.Send(Refusal(invalid, command, name));
        }

        // maxTimeMS is a generic argument: validated (as mongod) before the fail point, and counting from here, so time
        // spent blocked by a fail point or waiting below is part of it. A getMore's maxTimeMS is its awaitData wait.
        long startedAt = Environment.TickCount64;
        long expiresAt;
        try
        {
            long maxTimeMs = OperationDeadline.ParseMaxTimeMs(command, name);
            expiresAt = name == "getMore" ? 0 : OperationDeadline.DeadlineOf(startedAt, maxTimeMs);
        }
        catch (CommandException badMaxTime)
        {
            return DispatchResult.Send(Refusal(badMaxTime, command, name));
        }

        FailCommandAction? failure = _state.FailPoints.IsArmed ? _state.FailPoints.Check(name, connection.AppName) : null;
        if (failure is not null)
        {
            if (failure.BlockTimeMs > 0 && await BlockAsync(failure.BlockTimeMs, expiresAt, cancellationToken).ConfigureAwait(false) is CommandException expired)
            {
                return DispatchResult.Send(Refusal(expired, command, name));
            }

            if (failure.CloseConnection)
            {
                return DispatchResult.Close;
            }

            if (failure.ErrorCode is int code)
            {
                BsonArray? labels = failure.ErrorLabels ?? DefaultLabels(command, name, code);
                return DispatchResult.Send(ErrorReply(
                    code, ErrorCodes.NameOf(code), failure.ErrorMessage ?? "Failing command via 'failCommand' failpoint", labels));
            }
        }

        if (SessionOptionRules.CheckTransaction(name, database, command) is CommandException refused)
        {
            return DispatchResult.Send(Refusal(refused, command, name));
        }

        if (CheckMemberState(name, command, request, connection) is CommandException notPrimary)
        {
            return DispatchResult.Send(Refusal(notPrimary, command, name));
        }

        bool moreToCome = false;
        if (s_helloNames.Contains(name) && IsAwaitable(command, out bool current, out long clientCounter, out int maxAwaitMs))
        {
            // An awaitable hello (4.4+ streaming monitors): held until this member's topologyVersion changes or
            // maxAwaitTimeMS passes; a client that is already out of date is answered at once. With exhaustAllowed
            // the reply streams: the connection keeps answering (see ClientConnection) with moreToCome set.
            if (current)
            {
                await WaitForTopologyChangeAsync(clientCounter, maxAwaitMs, cancellationToken).ConfigureAwait(false);
            }

            moreToCome = request.ExhaustAllowed;
        }

        if (await WaitForCausalReadAsync(command, cancellationToken).ConfigureAwait(false) is CommandException tooLate)
        {
            return DispatchResult.Send(Refusal(tooLate, command, name));
        }

        if (expiresAt != 0 && Environment.TickCount64 >= expiresAt)
        {
            return DispatchResult.Send(Refusal(OperationDeadline.Expired(), command, name));
        }

        _state.Sessions.Touch(command);
        var context = new CommandContext
        {
            DatabaseName = database,
            Command = command,
            MessageLength = request.MessageLength,
            Server = _state,
            Connection = connection,
            StartedAt = startedAt,
            ExpiresAt = expiresAt,
        };

        long txnNumber = 0;
        string? session = s_retryableWriteCommands.Contains(name) ? RetryableWriteCache.SessionKey(command, out txnNumber) : null;
        FailCommandAction? transactional = session is not null && _state.FailPoints.IsArmed ? _state.FailPoints.CheckTransactionalWrite(name) : null;
        if (transactional is { AfterExecution: false })
        {
            // failBeforeCommitExceptionCode: the write never happens.
            return transactional.CloseConnection
                ? DispatchResult.Close
                : DispatchResult.Send(ErrorReply(transactional.ErrorCode ?? ErrorCodes.InternalError, ErrorCodes.NameOf(transactional.ErrorCode ?? 1), "Failing write before commit via 'onPrimaryTransactionalWrite' failpoint", DefaultLabels(command, name, transactional.ErrorCode ?? 1)));
        }

        BsonDocument reply;
        WriteTicket write = default;
        bool retried = false;
        long executionStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            bool inTransaction = command.Contains("autocommit");
            if (handler is IAsyncCommandHandler asyncHandler)
            {
                // Commands that wait (replSetStepDown's catch-up period) never write data through the dispatcher.
                _readConcern.Check(name, command, inTransaction, out _);
                reply = await asyncHandler.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
            }
            else if (inTransaction)
            {
                // A transaction's statements run in its snapshot, outside the set's lock (lock order: session, then
                // the set): only its commit changes the data set, and appends the log entry under that lock itself.
                if (_state.RouterTransactions?.Check(name, command) == RouterTransactionTable.Decision.RecoverCommit)
                {
                    // A commit through a router that never saw the transaction: the shard tells the outcome.
                    reply = _state.Transactions.RecoverCommit(Transactions.TransactionManager.SessionKey(command)!, command["txnNumber"].ToInt64());
                    reply.Set("recoveryToken", new BsonDocument("recoveryShardId", "shard0"));
                    return DispatchResult.Send(WithClusterTime(reply.Set("ok", new BsonDouble(1.0))));
                }

                _readConcern.Check(name, command, inTransaction, out _);
                (long Index, long Term)? entry;
                using (OperationDeadline.Enter(expiresAt))
                {
                    reply = _state.Transactions.Run(context, handler, out entry);
                }

                write = entry is (long index, long term) ? new WriteTicket(_state.Replication, index, term) : default;
            }
            else
            {
                if (session is not null)
                {
                    // The session's txnNumber is shared with transactions: an older one, or a transaction's, is refused
                    // first (before the set's lock: the session's lock comes first).
                    _state.Transactions.BeginRetryableWrite(session, txnNumber);
                }

                // On a replica-set member a write holds the set's lock from the retryable-write lookup to its log
                // entry, so a retry (here or on the next primary) sees either all of it or none.
                using ExecutionScope scope = EnterExecution(name, command, connection);
                BsonDocument? remembered = session is null ? null : _state.RetryableWrites.Lookup(session, txnNumber);
                if (remembered is not null)
                {
                    // A retry of a write that already happened: answer as the first attempt did, without running it again
                    // (an armed failCommand's writeConcernError still applies, as on mongod).
                    if (failure?.WriteConcernError is BsonDocument rememberedWriteConcernError)
                    {
                        AddWriteConcernError(remembered, rememberedWriteConcernError, command, name);
                    }

                    reply = remembered;
                    write = scope.Existing();
                    retried = true;
                }
                else
                {
                    context.ReadAt = _readConcern.Check(name, command, inTransaction, out BsonTimestamp? readTime);
                    using (OperationDeadline.Enter(expiresAt))
                    {
                        reply = RunOutsideTransaction(context, handler, name);
                    }

                    _readConcern.AfterReply(name, command, reply, readTime);
                    reply.Set("ok", new BsonDouble(1.0));
                    if (session is not null)
                    {
                        _state.RetryableWrites.Remember(session, txnNumber, reply);
                    }

                    write = scope.Complete();
                }
            }
        }
        catch (CommandException ex)
        {
            return DispatchResult.Send(Refusal(ex, command, name));
        }
        catch (WireProtocolException ex)
        {
            return DispatchResult.Send(ErrorReply(ex.Code, ex.CodeName, ex.Message, null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A handler bug must not take the connection (or the server) down: report it like the server's InternalError.
            return DispatchResult.Send(ErrorReply(ErrorCodes.InternalError, "InternalError", $"{ex.GetType().Name}: {ex.Message}", null));
        }
        finally
        {
            // The top command's counters: every command on a collection, failed ones included, as mongod counts them.
            _state.Usage.Record(name, database, command, (long)System.Diagnostics.Stopwatch.GetElapsedTime(executionStarted).TotalMicroseconds);
        }

        reply.Set("ok", new BsonDouble(1.0));
        if (!request.MoreToCome)
        {
            await WaitForWriteConcernAsync(write, name, command, reply, cancellationToken).ConfigureAwait(false);
        }

        if (retried)
        {
            return DispatchResult.Send(WithClusterTime(reply));
        }

        if (transactional is { AfterExecution: true, CloseConnection: true })
        {
            return DispatchResult.Close; // the write happened but its reply is lost: the client must retry
        }

        if (failure?.WriteConcernError is BsonDocument writeConcernError)
        {
            AddWriteConcernError(reply, writeConcernError, command, name);
        }

        if (request.ExhaustAllowed && name == "getMore" && reply.TryGetValue("cursor", out BsonValue? cursor) && cursor.IsDocument
            && cursor.AsDocument.TryGetValue("id", out BsonValue? cursorId) && cursorId.IsNumeric && cursorId.ToInt64() != 0)
        {
            // Exhaust cursor: the server keeps sending batches (the same getMore, re-run) until the cursor is done.
            moreToCome = true;
        }

        return DispatchResult.Send(WithClusterTime(reply), moreToCome);
    }

    /// <summary>
    /// Runs a command outside any transaction. DDL waits first for the open transactions that used its collections; a
    /// write that meets a document an open transaction holds has changed nothing yet when it learns so, and runs again
    /// once that transaction ends (statement runners do this for each statement; this is the fallback for the rest).
    /// </summary>
    private BsonDocument RunOutsideTransaction(CommandContext context, ICommandHandler handler, string name)
    {
        Transactions.TransactionManager transactions = _state.Transactions;
        if (name == "getMore")
        {
            Transactions.TransactionManager.CheckGetMore(_state.Cursors, context.Command, null);
        }

        if (transactions.AnyOpen && Transactions.DdlNamespaces.Affected(name, context.DatabaseName, context.Command) is { } affected)
        {
            transactions.WaitForNamespaces(affected, context);
        }

        while (true)
        {
            try
            {
                return handler.Execute(context);
            }
            catch (Transactions.TransactionWaitException wait)
            {
                lock (_state.Storage.Sync)
                {
                    transactions.WaitFor(wait.Owner, context);
                }
            }
        }
    }

    /// <summary>The error document of a failed command.</summary>
    public BsonDocument ErrorReply(int code, string codeName, string message, BsonArray? labels)
    {
        var reply = new BsonDocument
        {
            { "ok", new BsonDouble(0.0) },
            { "errmsg", message },
            { "code", code },
            { "codeName", codeName },
        };
        if (labels is { Count: > 0 })
        {
            reply.Add("errorLabels", labels);
        }

        return WithClusterTime(reply);
    }

    /// <summary>The reply for a command that failed with a server error: its labels, its extra fields, the cluster time.</summary>
    private BsonDocument Refusal(CommandException ex, BsonDocument command, string name)
    {
        BsonDocument error = ErrorReply(ex.Code, ex.CodeName, ex.Message, DefaultLabels(command, name, ex.Code));
        if (ex.Extra is not null)
        {
            foreach (BsonElement element in ex.Extra)
            {
                error.Set(element.Name, element.Value);
            }
        }

        return WithClusterTime(error);
    }

    private BsonDocument WithClusterTime(BsonDocument reply)
    {
        AddTopologyVersion(reply);
        if (_state.GossipsClusterTime && !reply.Contains("$clusterTime"))
        {
            BsonTimestamp time = _state.NextClusterTime();
            reply.Add("$clusterTime", new BsonDocument
            {
                { "clusterTime", time },
                {
                    "signature", new BsonDocument
                    {
                        { "hash", new BsonBinaryData(new byte[20]) },
                        { "keyId", new BsonInt64(0) },
                    }
                },
            });
            reply.Add("operationTime", OperationTime(time));
        }

        return reply;
    }

    private void AddWriteConcernError(BsonDocument reply, BsonDocument writeConcernError, BsonDocument command, string name)
    {
        var error = (BsonDocument)writeConcernError.DeepClone();
        BsonArray? labels = null;
        if (error.TryGetValue("errorLabels", out BsonValue? given) && given.IsArray)
        {
            // Test data puts the labels in the writeConcernError; a 4.4+ server reports them at the top level.
            labels = given.AsArray;
            error.Remove("errorLabels");
        }
        else if (error.TryGetValue("code", out BsonValue? code) && code.IsNumeric)
        {
            labels = DefaultLabels(command, name, null, code.ToInt32());
        }

        // The rest of the fail point's writeConcernError is the reply's as given (mongod adds no codeName to it).
        reply.Set("writeConcernError", error);
        if (labels is { Count: > 0 })
        {
            reply.Set("errorLabels", labels);
        }
    }

    /// <summary>The labels a 4.4+ server adds by itself to a command's error (see the overload below).</summary>
    private static BsonArray? DefaultLabels(BsonDocument command, string name, int code) => DefaultLabels(command, name, code, null);

    /// <summary>
    /// mongod's ErrorLabelBuilder for a command with a txnNumber that failed with <paramref name="code"/> (null: it did
    /// not fail) or whose write concern failed with <paramref name="writeConcernCode"/>.
    /// </summary>
    private static BsonArray? DefaultLabels(BsonDocument command, string name, int? code, int? writeConcernCode)
    {
        if (!command.Contains("txnNumber"))
        {
            return null;
        }

        bool inTransaction = command.Contains("autocommit");
        bool endsTransaction = inTransaction && name is "commitTransaction" or "abortTransaction";
        var labels = new BsonArray();
        if (inTransaction && code is int failed && ErrorCodes.IsTransientTransactionError(failed, writeConcernCode is not null, endsTransaction))
        {
            labels.Add("TransientTransactionError");
        }

        // Retryable writes, and commit and abort (which drivers retry once), get RetryableWriteError on a retryable code.
        bool retryable = (endsTransaction || (!inTransaction && s_retryableWriteCommands.Contains(name)))
            && (code is int c && ErrorCodes.IsRetryableWriteError(c) || writeConcernCode is int w && ErrorCodes.IsRetryableWriteError(w));
        if (retryable)
        {
            labels.Add("RetryableWriteError");
        }

        // A commit whose outcome the client cannot know: retryable, out of time, or a write concern that may yet be met
        // (not one that can never be: UnsatisfiableWriteConcern, UnknownReplWriteConcern).
        if (name == "commitTransaction" && inTransaction
            && (retryable || code is ErrorCodes.MaxTimeMsExpired or ErrorCodes.ExceededTimeLimit
                || writeConcernCode is int wce && wce is not (100 or 79)))
        {
            labels.Add("UnknownTransactionCommitResult");
        }

        return labels.Count > 0 ? labels : null;
    }

    /// <summary>
    /// Whether a hello is awaitable (it has topologyVersion and maxAwaitTimeMS); <paramref name="current"/> says whether
    /// the client's topologyVersion is this server's current one (else it is answered at once).
    /// </summary>
    private bool IsAwaitable(BsonDocument command, out bool current, out long clientCounter, out int maxAwaitMs)
    {
        current = false;
        clientCounter = 0;
        maxAwaitMs = 0;
        if (!command.TryGetValue("topologyVersion", out BsonValue? tv) || !tv.IsDocument
            || !command.TryGetValue("maxAwaitTimeMS", out BsonValue? wait) || !wait.IsNumeric)
        {
            return false;
        }

        BsonDocument topologyVersion = tv.AsDocument;
        maxAwaitMs = (int)Math.Clamp(wait.ToInt64(), 0, int.MaxValue);
        long counter = _state.Replication?.TopologyCounter ?? 0;
        // A client holding another process id or an older counter is out of date: it gets an answer at once.
        current = topologyVersion.TryGetValue("processId", out BsonValue? processId) && processId.IsObjectId
            && processId.AsObjectId == _state.ProcessId
            && topologyVersion.TryGetValue("counter", out BsonValue? given) && given.IsNumeric && given.ToInt64() == counter;
        clientCounter = counter;
        return true;
    }

    /// <summary>Waits until this server's topologyVersion changes (a standalone's never does) or the time is up.</summary>
    private Task WaitForTopologyChangeAsync(long counter, int maxAwaitMs, CancellationToken cancellationToken) =>
        _state.Replication is ReplicaMember member
            ? member.WaitForTopologyChangeAsync(counter, TimeSpan.FromMilliseconds(maxAwaitMs), cancellationToken)
            : Task.Delay(maxAwaitMs, cancellationToken);
}
