using Mongo.Bson;

namespace Mongo.Driver.Operations;

/// <summary>
/// A read (find, aggregate without $out/$merge, count, distinct, the list commands): retryable under retryReads, sent
/// with the read preference. <see cref="OpensCursor"/>: the reply's cursor keeps the implicit session for its getMores.
/// </summary>
internal sealed record ReadCommand : CommandOperation
{
    public ReadCommand(string database, BsonDocument body, ReadPreference? readPreference, bool opensCursor = false)
        : base(database, body)
    {
        ReadPreference = readPreference;
        OpensCursor = opensCursor;
    }

    /// <summary>The reply holds a cursor that the caller iterates (and closes) with the same session.</summary>
    public bool OpensCursor { get; }

    public override bool IsWrite => false;

    public override RetryKind Retry => RetryKind.Read;

    public override bool KeepSession => OpensCursor;
}

/// <summary>
/// A write to the primary. Retryable (retryable-writes spec) when the caller says the statements allow it: inserts,
/// single-statement updates and deletes, findAndModify, bulk batches without multi statements; DDL commands (create,
/// drop, createIndexes, ...) and transactions' commit/abort (which the session retries itself) are not.
/// </summary>
internal sealed record WriteCommand : CommandOperation
{
    private readonly bool _keepsSession;
    private readonly bool _unacknowledged;
    private readonly bool _retryable;

    /// <param name="database">The database.</param>
    /// <param name="body">The command.</param>
    /// <param name="retryable">Whether the retryable-writes spec allows retrying these statements.</param>
    /// <param name="acknowledged">False for w:0: sent with moreToCome, no reply read, never retried.</param>
    /// <param name="batched">One batch of several: the implicit session is kept for the next batches (and the caller releases it).</param>
    public WriteCommand(string database, BsonDocument body, bool retryable = false, bool acknowledged = true, bool batched = false)
        : base(database, body)
    {
        _retryable = retryable;
        _unacknowledged = !acknowledged;
        _keepsSession = batched;
    }

    public override bool IsWrite => true;

    public override RetryKind Retry => _retryable ? RetryKind.Write : RetryKind.None;

    public override bool MoreToCome => _unacknowledged;

    public override bool KeepSession => _keepsSession;
}

/// <summary>
/// An aggregate ending in $out or $merge: never retried; a write on the primary unless the read preference allows a
/// secondary (5.0+ secondaries run it; older deployments need the primary). Its reply opens a cursor.
/// </summary>
internal sealed record WriteStageAggregateCommand : CommandOperation
{
    public WriteStageAggregateCommand(string database, BsonDocument body, ReadPreference readPreference)
        : base(database, body)
    {
        ReadPreference = readPreference;
    }

    public override bool IsWrite => ReadPreference is null or { Mode: ReadPreferenceMode.Primary };

    public override RetryKind Retry => RetryKind.None;

    public override bool HasWriteStage => true;

    public override bool KeepSession => true;
}

/// <summary>
/// getMore or killCursors: runs on the cursor's server with the cursor's session, never retried (a cursor built without
/// its server sends them to the primary).
/// </summary>
internal sealed record CursorCommand : CommandOperation
{
    public CursorCommand(string database, BsonDocument body, MongoServerAddress? server, Sessions.ServerSession? session)
        : base(database, body)
    {
        PinnedServer = server;
        Session = session;
    }

    public override bool IsWrite => false;

    public override RetryKind Retry => RetryKind.None;
}

/// <summary>
/// The caller's own command (runCommand, runCursorCommand, a test's configureFailPoint): sent as given and never retried,
/// since the driver cannot tell whether repeating it is safe. With a read preference it is a read, else it goes to the
/// primary. A command whose body carries its own txnNumber is retried as the caller built it.
/// </summary>
internal sealed record RunCommand : CommandOperation
{
    public RunCommand(string database, BsonDocument body, ReadPreference? readPreference, bool opensCursor = false)
        : base(database, body)
    {
        ReadPreference = readPreference;
        OpensCursor = opensCursor;
    }

    /// <summary>runCursorCommand: the reply's cursor keeps the implicit session.</summary>
    public bool OpensCursor { get; }

    public override bool IsWrite => ReadPreference is null;

    public override RetryKind Retry => RetryKind.None;

    public override bool KeepSession => OpensCursor;
}

/// <summary>endSessions, sent when the client closes: names the sessions it ends, so it carries no lsid itself.</summary>
internal sealed record EndSessionsCommand : CommandOperation
{
    public EndSessionsCommand(BsonArray ids)
        : base("admin", new BsonDocument("endSessions", ids))
    {
        ReadPreference = ReadPreference.PrimaryPreferred;
    }

    public override bool IsWrite => false;

    public override RetryKind Retry => RetryKind.None;

    public override bool NoSession => true;
}
