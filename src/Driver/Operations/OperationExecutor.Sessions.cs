using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Sessions;
using Mongo.Driver.Topology;

namespace Mongo.Driver.Operations;

/// <summary>Implicit sessions (driver-sessions spec) and the endSessions sent when the client closes.</summary>
internal sealed partial class OperationExecutor
{
    // endSessions takes at most this many ids per command (driver-sessions spec).
    private const int EndSessionsBatchSize = 10_000;

    // Closing the client must not wait serverSelectionTimeoutMS for a deployment that has gone away.
    private static readonly TimeSpan s_endSessionsSelectionTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The client's server session pool (tests look at it).</summary>
    internal ServerSessionPool Sessions => _sessions;

    /// <summary>
    /// The session this command carries, checked out from the pool only now that a connection is (the spec's lazy
    /// checkout) and only when that connection's server reported logicalSessionTimeoutMinutes. Unacknowledged writes
    /// never carry one: the server could not tell the driver the session is still in use.
    /// </summary>
    private ServerSession? SessionFor(CommandOperation message, IConnection connection, AttemptState context)
    {
        if (message.Transaction is not null && connection.Description?.LogicalSessionTimeoutMinutes is null)
        {
            // Sent without lsid and txnNumber, a transaction's command would be applied at once, outside any transaction.
            throw new MongoClientException("Transactions are not supported by this deployment: the server " + connection.Address
                + " does not support sessions (its hello reports no logicalSessionTimeoutMinutes).");
        }

        if (message.MoreToCome || message.NoSession || connection.Description?.LogicalSessionTimeoutMinutes is null)
        {
            if (context.TxnNumber is null && !message.Body.Contains("txnNumber"))
            {
                // Sent without a txnNumber, a write could be applied twice by a retry: it runs once.
                context.RetryableWrite = false;
            }

            return null;
        }

        ServerSession? session = context.Session;
        if (session is null)
        {
            session = _sessions.Acquire();
            context.Session = session;
            context.OwnsSession = true;
        }

        session.MarkUsed();
        if (context.RetryableWrite && context.TxnNumber is null && !message.Body.Contains("txnNumber"))
        {
            // One txnNumber per statement batch; the retry of the batch sends the same one.
            context.TxnNumber = session.AdvanceTxnNumber();
        }

        return session;
    }

    /// <summary>Retryable-writes spec: not on standalones, and only where sessions are (load balancers always are).</summary>
    private static bool SupportsRetryableWrites(ServerDescription server) =>
        server.Type == ServerType.LoadBalancer
        || (server.Type != ServerType.Standalone && server.LogicalSessionTimeoutMinutes is not null);

    /// <summary>IllegalOperation (20) "Transaction numbers are only allowed on a replica set member or mongos" (e.g. an unsupported storage engine).</summary>
    private static bool IsTxnNumbersUnsupported(MongoCommandException error) =>
        error.Code == 20
        && error.Reply.TryGetValue("errmsg", out BsonValue? message) && message.IsString
        && message.AsString.StartsWith("Transaction numbers", StringComparison.Ordinal);

    /// <summary>
    /// Tells the deployment the pooled sessions will not be used again (10,000 ids per endSessions), to the primary when
    /// there is one, else to any secondary or mongos. Best effort: every error is ignored.
    /// </summary>
    private async ValueTask EndSessionsAsync(bool async)
    {
        List<BsonDocument> ids = _sessions.Drain();
        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            Deadline deadline = Deadline.After(s_endSessionsSelectionTimeout);
            Server server = (await Cluster.SelectServerAsync(async, ServerSelector.ForRead(ReadPreference.PrimaryPreferred), deadline, CancellationToken.None).ConfigureAwait(false)).Server;
            for (int start = 0; start < ids.Count; start += EndSessionsBatchSize)
            {
                var batch = new BsonArray();
                for (int i = start; i < Math.Min(ids.Count, start + EndSessionsBatchSize); i++)
                {
                    batch.Add(ids[i]);
                }

                var message = new EndSessionsCommand(batch);
                await ExecuteOnServerAsync(async, server, message, OperationContext.Start(null, CancellationToken.None), deadline, new AttemptState(null), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is MongoException or ObjectDisposedException or OperationCanceledException)
        {
            // Best effort (spec: errors from endSessions are ignored); the server expires the sessions itself.
        }
    }

    /// <summary>One command's session and retry state across its attempts (the retry reuses the session and txnNumber).</summary>
    private sealed class AttemptState(ServerSession? session)
    {
        /// <summary>The implicit session (checked out lazily) or the cursor's.</summary>
        public ServerSession? Session { get; set; } = session;

        /// <summary>True when this operation checked the session out and must return it.</summary>
        public bool OwnsSession { get; set; }

        /// <summary>Whether this write is retried (decided on the first attempt's server).</summary>
        public bool RetryableWrite { get; set; }

        /// <summary>The txnNumber of this write, assigned on the first attempt that carries a session.</summary>
        public long? TxnNumber { get; set; }

        /// <summary>0 for the first attempt, 1 for the retry.</summary>
        public int Attempt { get; set; }

        /// <summary>An attempt failed with an overload error: every retry from then on counts against maxAdaptiveRetries.</summary>
        public bool OverloadSeen { get; set; }
    }

    /// <summary>
    /// A retryable write's ok:1 reply whose writeConcernError the server labelled RetryableWriteError (4.4+ puts the label
    /// at the reply's top level). Only used inside the executor to retry; if the retry cannot run, the reply is returned.
    /// </summary>
    private sealed class RetryableWriteConcernErrorException : MongoException
    {
        public RetryableWriteConcernErrorException(CommandResponse response)
            : base("The write concern could not be satisfied (retryable).")
        {
            Response = response;
            AddErrorLabel("RetryableWriteError");
        }

        public CommandResponse Response { get; }
    }

    /// <summary>Whether an ok:1 reply carries a writeConcernError and the RetryableWriteError label.</summary>
    private static bool HasRetryableWriteErrorLabel(CommandReply response)
    {
        BsonDocument body = response.Body;
        if (!body.TryGetValue("writeConcernError", out BsonValue? writeConcernError) || writeConcernError is not BsonDocument error)
        {
            return false;
        }

        return HasLabel(body) || HasLabel(error);

        static bool HasLabel(BsonDocument document)
        {
            if (document.TryGetValue("errorLabels", out BsonValue? labels) && labels is BsonArray array)
            {
                foreach (BsonValue label in array)
                {
                    if (label is BsonString { Value: "RetryableWriteError" })
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
