using System.Runtime.ExceptionServices;
using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Sessions;
using Mongo.Driver.Topology;
using Mongo.Driver.Util;

namespace Mongo.Driver;

/// <summary>Transactions (transactions spec): the state machine, startTransaction, commitTransaction and abortTransaction.</summary>
public sealed partial class MongoSession
{
    /// <summary>The label of errors after which the whole transaction can be run again.</summary>
    internal const string TransientTransactionErrorLabel = "TransientTransactionError";

    /// <summary>The label of commit errors after which committing again may succeed.</summary>
    internal const string UnknownTransactionCommitResultLabel = "UnknownTransactionCommitResult";

    private const string RetryableWriteErrorLabel = "RetryableWriteError";

    // Transactions spec: a commit sent again asks for w:majority and waits at most this long for it unless told otherwise.
    private static readonly TimeSpan s_retriedCommitWTimeout = TimeSpan.FromSeconds(10);

    private TransactionState _transactionState;

    // The transaction committed with no command sent: committing again sends nothing either.
    private bool _committedEmpty;

    private SessionBoundExecutor? _executor;

    /// <summary>Where the session is in the transaction state machine.</summary>
    public TransactionState TransactionState => _transactionState;

    /// <summary>Whether a transaction is open: started and neither committed nor aborted.</summary>
    public bool IsInTransaction => _transactionState is TransactionState.Starting or TransactionState.InProgress;

    /// <summary>
    /// The options of the current (or last) transaction as they apply: each one from <see cref="StartTransaction"/>'s options,
    /// else from <see cref="SessionOptions.DefaultTransactionOptions"/>, else from the client. Null before the first transaction.
    /// </summary>
    public TransactionOptions? TransactionOptions { get; private set; }

    /// <summary>The mongos a sharded transaction is pinned to (its commands all go there), or null.</summary>
    internal MongoServerAddress? PinnedServer { get; private set; }

    /// <summary>The latest recoveryToken of a sharded transaction, sent with commitTransaction and abortTransaction.</summary>
    internal BsonDocument? RecoveryToken { get; set; }

    /// <summary>The executor of operations bound to this session that have no handle (commit, abort, client bulk writes).</summary>
    internal SessionBoundExecutor BoundExecutor => _executor ??= new SessionBoundExecutor(Client, this);

    /// <summary>
    /// Starts a transaction: every operation of handles bound to this session (<see cref="MongoDatabase.WithSession"/>,
    /// <see cref="MongoCollection{TDocument}.WithSession"/>) runs in it until <see cref="CommitTransaction(CancellationToken)"/> or
    /// <see cref="AbortTransaction(CancellationToken)"/>. Nothing is sent: the server starts the transaction with its first command.
    /// </summary>
    /// <param name="options">The transaction's options; what they leave null comes from <see cref="SessionOptions.DefaultTransactionOptions"/>, then the client.</param>
    /// <remarks>
    /// Inside the transaction, operations cannot set their own read or write concern, collections' and databases' write concerns
    /// are ignored (even w:0), and reads use the transaction's read preference, which must be primary. A command error inside a
    /// transaction may abort it on the server; committing it then fails with NoSuchTransaction.
    /// </remarks>
    /// <exception cref="MongoClientException">A transaction is already in progress, this is a snapshot session, or the write concern is unacknowledged.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public void StartTransaction(TransactionOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsInTransaction)
        {
            throw new MongoClientException("Transaction already in progress: commit or abort it before starting another one.");
        }

        if (IsSnapshot)
        {
            throw new MongoClientException("Transactions are not supported in snapshot sessions; start a session without SessionOptions.Snapshot.");
        }

        TransactionOptions? defaults = Options.DefaultTransactionOptions;
        var resolved = new TransactionOptions
        {
            ReadConcern = options?.ReadConcern ?? defaults?.ReadConcern ?? Client.ReadConcern,
            WriteConcern = options?.WriteConcern ?? defaults?.WriteConcern ?? Client.WriteConcern,
            ReadPreference = options?.ReadPreference ?? defaults?.ReadPreference ?? Client.ReadPreference,
            MaxCommitTime = options?.MaxCommitTime ?? defaults?.MaxCommitTime,
            Timeout = options?.Timeout ?? defaults?.Timeout,
        };
        if (!resolved.WriteConcern.IsAcknowledged)
        {
            throw new MongoClientException("Transactions do not support unacknowledged write concerns (w: 0); give the transaction an acknowledged one.");
        }

        // One txnNumber for every command of the transaction, higher than any this server session used before.
        ServerSession.AdvanceTxnNumber();
        TransactionOptions = resolved;
        _transactionState = TransactionState.Starting;
        _committedEmpty = false;
        Unpin();
        RecoveryToken = null;

        // MongoDB OpenTelemetry specification: the operations of the transaction, its commit or abort included, nest under one span.
        StartTransactionSpan();
    }

    /// <summary>
    /// Commits the transaction (nothing is sent when it ran no command). Calling it again after it failed sends the commit again,
    /// with <c>w: "majority"</c>: that is safe, the server commits a transaction once.
    /// </summary>
    /// <exception cref="MongoClientException">No transaction was started, or it was aborted.</exception>
    /// <exception cref="MongoException">
    /// The commit failed. With the <c>UnknownTransactionCommitResult</c> label the outcome is unknown and committing again may
    /// succeed; with <c>TransientTransactionError</c> the transaction was aborted and can be run again from the start.
    /// </exception>
    public void CommitTransaction(CancellationToken cancellationToken = default) =>
        CommitTransactionCore(async: false, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="CommitTransaction(CancellationToken)"/>
    public Task CommitTransactionAsync(CancellationToken cancellationToken = default) =>
        CommitTransactionCore(async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="CommitTransaction(CancellationToken)"/>
    /// <param name="options">This call's options (its timeout); null: as <see cref="CommitTransaction(CancellationToken)"/>.</param>
    /// <param name="cancellationToken">Cancels the commit and its retries.</param>
    public void CommitTransaction(CommitTransactionOptions? options, CancellationToken cancellationToken = default) =>
        CommitTransactionCore(async: false, cancellationToken, options?.Timeout).GetAwaiter().GetResult();

    /// <inheritdoc cref="CommitTransaction(CommitTransactionOptions?, CancellationToken)"/>
    public Task CommitTransactionAsync(CommitTransactionOptions? options, CancellationToken cancellationToken = default) =>
        CommitTransactionCore(async: true, cancellationToken, options?.Timeout).AsTask();

    /// <summary>
    /// Aborts the transaction: nothing it wrote becomes visible (nothing is sent when it ran no command). Errors from the server
    /// are ignored: the server aborts the transaction on its own anyway when it times out or the session starts another one.
    /// </summary>
    /// <exception cref="MongoClientException">No transaction was started, or it was already committed or aborted.</exception>
    public void AbortTransaction(CancellationToken cancellationToken = default) =>
        AbortTransactionCore(async: false, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="AbortTransaction(CancellationToken)"/>
    public Task AbortTransactionAsync(CancellationToken cancellationToken = default) =>
        AbortTransactionCore(async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="AbortTransaction(CancellationToken)"/>
    /// <param name="options">This call's options (its timeout); null: as <see cref="AbortTransaction(CancellationToken)"/>.</param>
    /// <param name="cancellationToken">Cancels the abort and its retry.</param>
    public void AbortTransaction(AbortTransactionOptions? options, CancellationToken cancellationToken = default) =>
        AbortTransactionCore(async: false, cancellationToken, options?.Timeout).GetAwaiter().GetResult();

    /// <inheritdoc cref="AbortTransaction(AbortTransactionOptions?, CancellationToken)"/>
    public Task AbortTransactionAsync(AbortTransactionOptions? options, CancellationToken cancellationToken = default) =>
        AbortTransactionCore(async: true, cancellationToken, options?.Timeout).AsTask();

    /// <summary>
    /// Called by the bound executor before each operation's command: a committed or aborted transaction is left behind (the
    /// state goes back to none) and a session outside any transaction is unpinned. True when the command runs in the open transaction.
    /// </summary>
    internal bool BeginOperation()
    {
        if (_transactionState is TransactionState.Committed or TransactionState.Aborted)
        {
            _transactionState = TransactionState.None;
            RecoveryToken = null;
        }

        if (!IsInTransaction)
        {
            Unpin();
            return false;
        }

        return true;
    }

    /// <summary>
    /// A command of the transaction reached the executor: the transaction is in progress, and pinned to its mongos (or, in
    /// load-balanced mode, to the connection of its first command).
    /// </summary>
    internal void CommandSent(TransactionFields fields)
    {
        _transactionState = TransactionState.InProgress;
        if (PinnedServer is null && fields.SelectedServerType is ServerType.Mongos or ServerType.LoadBalancer && fields.SelectedServer is { } server)
        {
            PinnedServer = server;
        }

        if (fields.NewPin is { } pin)
        {
            if (PinnedConnection is null)
            {
                PinnedConnection = pin;
            }
            else
            {
                pin.Release();
            }
        }
    }

    /// <summary>Load-balanced mode: the connection every command of the transaction uses.</summary>
    internal PinnedConnection? PinnedConnection { get; private set; }

    /// <summary>Unpins the session from its mongos and gives a pinned connection back to the pool (transactions spec: when to unpin).</summary>
    internal void Unpin()
    {
        PinnedServer = null;
        PinnedConnection? connection = PinnedConnection;
        PinnedConnection = null;
        connection?.Release();
    }

    /// <summary>The read concern an operation sends: inside a transaction none (its own is refused), else its own or the inherited one.</summary>
    internal ReadConcern ReadConcernFor(ReadConcern? operation, ReadConcern inherited)
    {
        if (!IsInTransaction)
        {
            return operation ?? inherited;
        }

        return operation is null
            ? ReadConcern.Default
            : throw new MongoClientException("Cannot set read concern after starting a transaction: the transaction's read concern applies to all its operations.");
    }

    /// <summary>The write concern an operation sends: inside a transaction none (its own is refused; w:0 handles become acknowledged), else its own or the inherited one.</summary>
    internal WriteConcern WriteConcernFor(WriteConcern? operation, WriteConcern inherited)
    {
        if (!IsInTransaction)
        {
            return operation ?? inherited;
        }

        return operation is null
            ? WriteConcern.Default
            : throw new MongoClientException("Cannot set write concern after starting a transaction: the transaction's write concern applies to its commit.");
    }

    /// <summary>The read preference of a read: the operation's own, else inside a transaction the transaction's, else the inherited one.</summary>
    internal ReadPreference ReadPreferenceFor(ReadPreference? operation, ReadPreference inherited) =>
        operation ?? (IsInTransaction ? TransactionOptions!.ReadPreference! : inherited);

    internal async ValueTask CommitTransactionCore(bool async, CancellationToken ct, TimeSpan? timeout = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        switch (_transactionState)
        {
            case TransactionState.None:
                throw new MongoClientException("No transaction started: call StartTransaction before CommitTransaction.");
            case TransactionState.Aborted:
                throw new MongoClientException("Cannot call commitTransaction after calling abortTransaction.");
            case TransactionState.Starting:
                // The server never heard of the transaction: there is nothing to commit.
                _transactionState = TransactionState.Committed;
                _committedEmpty = true;
                EndTransactionSpan();
                return;
            case TransactionState.Committed when _committedEmpty:
                return;
        }

        // Committed already: the application commits again, which asks for a majority like the driver's own retry.
        bool again = _transactionState == TransactionState.Committed;
        _transactionState = TransactionState.Committed;

        // One operation span for the commit; the driver's retry is a second command span under it.
        Diagnostics.OperationSpan? span = Diagnostics.OperationSpan.Start("commitTransaction", "admin", collection: null, _transactionSpan, tracing: Client.Executor.Tracing);
        try
        {
            using (Diagnostics.OperationSpan.Enter(span))
            {
                await CommitAttemptsAsync(async, again, timeout, ct).ConfigureAwait(false);
            }

            span?.End(null);
        }
        catch (Exception ex)
        {
            span?.End(ex);
            throw;
        }
        finally
        {
            EndTransactionSpan();
        }
    }

    private async ValueTask CommitAttemptsAsync(bool async, bool again, TimeSpan? timeout, CancellationToken ct)
    {
        OverloadRetryPolicy backpressure = Backpressure;
        OperationContext operation = CommitOrAbortContext(ct, timeout);
        MongoException? firstError = null;
        bool overloadSeen = false;

        // Transactions spec: after any failure that is not a retryable overload error the server may have done work, so
        // the next attempt asks for w:majority; after overload errors only, it repeats the last attempt's write concern.
        bool majority = again;
        for (int attempt = 0; ; attempt++)
        {
            MongoException error;
            try
            {
                CommandResponse response = await SendAsync(async, CommitCommand(majority), operation, ct).ConfigureAwait(false);
                if (!response.Body.TryGetValue("writeConcernError", out BsonValue? wce) || wce is not BsonDocument wceDocument)
                {
                    return;
                }

                error = new MongoWriteConcernException(WriteConcernError.FromDocument(wceDocument, response.Body), response.Body);
            }
            catch (MongoException ex) when (ex is not MongoClientException)
            {
                error = ex;
            }

            LabelCommitError(error);
            if (error.HasErrorLabel(TransientTransactionErrorLabel) || error.HasErrorLabel(UnknownTransactionCommitResultLabel))
            {
                // The retry (the driver's or the application's) may need another mongos; the recoveryToken finds the transaction there.
                Unpin();
            }

            firstError ??= error;
            if (IsRetryableTransactionCommandError(error, Client.Settings.RetryWrites)
                && backpressure.AllowsRetry(attempt + 1, error, ordinaryRetries: 1, ref overloadSeen)
                && !operation.IsExpired
                && await backpressure.WaitBeforeRetryAsync(async, attempt + 1, error, operation, ct).ConfigureAwait(false))
            {
                majority |= !OverloadRetryPolicy.IsRetryableOverload(error);
                continue;
            }

            // Retryable-writes spec: when the retry wrote nothing, the first attempt's error says what happened.
            Throw(attempt > 0 && error.HasErrorLabel("NoWritesPerformed") ? firstError : error);
        }
    }

    internal async ValueTask AbortTransactionCore(bool async, CancellationToken ct, TimeSpan? timeout = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        switch (_transactionState)
        {
            case TransactionState.None:
                throw new MongoClientException("No transaction started: call StartTransaction before AbortTransaction.");
            case TransactionState.Committed:
                throw new MongoClientException("Cannot call abortTransaction after calling commitTransaction.");
            case TransactionState.Aborted:
                throw new MongoClientException("Cannot call abortTransaction twice.");
            case TransactionState.Starting:
                _transactionState = TransactionState.Aborted;
                Unpin();
                EndTransactionSpan();
                return;
        }

        _transactionState = TransactionState.Aborted;
        Diagnostics.OperationSpan? span = Diagnostics.OperationSpan.Start("abortTransaction", "admin", collection: null, _transactionSpan, tracing: Client.Executor.Tracing);
        try
        {
            using (Diagnostics.OperationSpan.Enter(span))
            {
                await AbortAttemptsAsync(async, timeout, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            // Abort errors are not the application's (ignored below); the command spans show them.
            span?.End(null);
            EndTransactionSpan();
        }
    }

    private async ValueTask AbortAttemptsAsync(bool async, TimeSpan? timeout, CancellationToken ct)
    {
        OverloadRetryPolicy backpressure = Backpressure;
        OperationContext operation = CommitOrAbortContext(ct, timeout);
        bool overloadSeen = false;
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    CommandResponse response = await SendAsync(async, AbortCommand(), operation, ct).ConfigureAwait(false);
                    if (attempt > 0 || !HasRetryableWriteConcernError(response.Body))
                    {
                        return;
                    }

                    // An ok:1 reply whose write concern error is labelled retryable is retried like an error.
                    Unpin();
                    continue;
                }
                catch (MongoException ex) when (ex is not MongoClientException && IsRetryableTransactionCommandError(ex, Client.Settings.RetryWrites)
                    && backpressure.AllowsRetry(attempt + 1, ex, ordinaryRetries: 1, ref overloadSeen) && !operation.IsExpired)
                {
                    // The retry may find the transaction through another mongos.
                    Unpin();
                    if (!await backpressure.WaitBeforeRetryAsync(async, attempt + 1, ex, operation, ct).ConfigureAwait(false))
                    {
                        return; // a backoff would outlast timeoutMS: give up, as for any abort error
                    }
                }
            }
        }
        catch (MongoException)
        {
            // Transactions spec: abort errors mean nothing to the application; the server aborts the transaction itself anyway.
        }
        finally
        {
            Unpin();
        }
    }

    /// <summary>The client's overload retry policy (client backpressure spec), which commit and abort follow too.</summary>
    private OverloadRetryPolicy Backpressure =>
        (Client.Executor as OperationExecutor)?.Backpressure ?? new OverloadRetryPolicy(Client.Settings.MaxAdaptiveRetries, Client.Settings.EnableOverloadRetargeting);

    /// <summary>
    /// The one context of a commit or abort call, shared by its retries: under WithTransaction's deadline when one runs, else
    /// a call of its own under the call's timeoutMS, else the transaction's, else the session's (client-side operations timeout spec).
    /// </summary>
    private OperationContext CommitOrAbortContext(CancellationToken ct, TimeSpan? timeout) =>
        TimeoutContext?.With(ct, omitMaxTime: false) ?? OperationContext.Start(timeout ?? TransactionOptions?.Timeout ?? Timeout, ct);

    /// <summary>Sends commitTransaction or abortTransaction to the admin database, on the pinned mongos if any.</summary>
    private ValueTask<CommandResponse> SendAsync(bool async, BsonDocument body, OperationContext operation, CancellationToken ct) =>
        BoundExecutor.ExecuteAsync(async, new WriteCommand("admin", body)
        {
            Context = operation,
            PinnedServer = PinnedServer,
            Transaction = new TransactionFields(ServerSession.TxnNumber, startTransaction: false, isCommitOrAbort: true) { PinnedConnection = PinnedConnection },
        }, ct);

    private BsonDocument CommitCommand(bool majority)
    {
        WriteConcern writeConcern = TransactionOptions!.WriteConcern!;
        if (majority)
        {
            // Transactions spec: a commit sent again must not be able to commit a transaction the first one's primary lost.
            writeConcern = writeConcern.WithW(WriteConcernW.Majority);
            if (writeConcern.WTimeout is null)
            {
                writeConcern = writeConcern.WithWTimeout(s_retriedCommitWTimeout);
            }
        }

        var body = new BsonDocument("commitTransaction", 1).AddWriteConcern(writeConcern);
        body.AddMaxTime(TransactionOptions.MaxCommitTime);
        return body.AddIf("recoveryToken", RecoveryToken);
    }

    private BsonDocument AbortCommand() =>
        new BsonDocument("abortTransaction", 1).AddWriteConcern(TransactionOptions!.WriteConcern).AddIf("recoveryToken", RecoveryToken);

    /// <summary>
    /// Transactions spec: a commit whose outcome is unknown gets UnknownTransactionCommitResult — network errors, server selection
    /// errors, retryable errors, MaxTimeMSExpired and write concern errors other than the ones saying the write concern itself is
    /// invalid. Network errors are retryable writes errors too (RetryableWriteError), never TransientTransactionError here.
    /// </summary>
    private static void LabelCommitError(MongoException error)
    {
        if (error is MongoConnectionException and not MongoAuthenticationException)
        {
            error.AddErrorLabel(RetryableWriteErrorLabel);
        }

        bool unknown = error switch
        {
            MongoConnectionException or MongoTimeoutException => true,
            MongoWriteConcernException writeConcern => writeConcern.Code is not (ErrorCodes.UnsatisfiableWriteConcern or ErrorCodes.UnknownReplWriteConcern),
            MongoServerException server when server.Code == ErrorCodes.MaxTimeMSExpired => true,
            _ => error.HasErrorLabel(RetryableWriteErrorLabel),
        };
        if (unknown)
        {
            error.AddErrorLabel(UnknownTransactionCommitResultLabel);
        }
    }

    /// <summary>An ok:1 reply with a writeConcernError the server labelled RetryableWriteError (at the top level or in the error).</summary>
    private static bool HasRetryableWriteConcernError(BsonDocument reply) =>
        reply.TryGetValue("writeConcernError", out BsonValue? wce) && wce is BsonDocument error
        && WriteConcernError.FromDocument(error, reply).ErrorLabels.Contains(RetryableWriteErrorLabel, StringComparer.Ordinal);

    /// <summary>
    /// Retryable-writes spec, which commit and abort follow whatever retryWrites says: network errors (handshakes included) and
    /// errors labelled RetryableWriteError; and, when retryWrites is on, retryable overload errors (client backpressure spec).
    /// </summary>
    private static bool IsRetryableTransactionCommandError(MongoException error, bool retryWrites) =>
        error is MongoConnectionException and not MongoAuthenticationException || error.HasErrorLabel(RetryableWriteErrorLabel)
        || (retryWrites && OverloadRetryPolicy.IsRetryableOverload(error));

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Throw(MongoException error) => ExceptionDispatchInfo.Throw(error);
}
