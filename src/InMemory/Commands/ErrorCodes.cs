using System.Collections.Frozen;

namespace Mongo.InMemory.Commands;

/// <summary>
/// The server's one table of error codes: the numbers and the names a MongoDB 8.0 server reports for them
/// (error_codes.yml), and the categories the dispatcher needs. <see cref="Engine.Errors"/> builds its exceptions from it.
/// </summary>
internal static class ErrorCodes
{
    public const int InternalError = 1;
    public const int BadValue = 2;
    public const int NoSuchKey = 4;
    public const int HostUnreachable = 6;
    public const int HostNotFound = 7;
    public const int UnknownError = 8;
    public const int FailedToParse = 9;
    public const int UserNotFound = 11;
    public const int RoleNotFound = 31;
    public const int Unauthorized = 13;
    public const int TypeMismatch = 14;
    public const int ProtocolError = 17;
    public const int AuthenticationFailed = 18;
    public const int IllegalOperation = 20;
    public const int InvalidBson = 22;
    public const int NamespaceNotFound = 26;
    public const int IndexNotFound = 27;
    public const int PathNotViable = 28;
    public const int ConflictingUpdateOperators = 40;
    public const int CursorNotFound = 43;
    public const int NamespaceExists = 48;
    public const int MaxTimeMsExpired = 50;
    public const int DollarPrefixedFieldName = 52;
    public const int InvalidIdField = 53;
    public const int NotSingleValueField = 54;
    public const int CommandNotFound = 59;
    public const int ImmutableField = 66;
    public const int InvalidOptions = 72;
    public const int InvalidNamespace = 73;
    public const int IndexOptionsConflict = 85;
    public const int IndexKeySpecsConflict = 86;
    public const int NetworkTimeout = 89;
    public const int ShutdownInProgress = 91;
    public const int WriteConflict = 112;
    public const int CommandFailed = 125;
    public const int ExceededTimeLimit = 262;
    public const int NoSuchTransaction = 251;
    public const int MechanismUnavailable = 334;
    public const int UnsupportedOpQueryCommand = 352;
    public const int SocketException = 9001;
    public const int NotWritablePrimary = 10107;
    public const int DuplicateKey = 11000;
    public const int InterruptedAtShutdown = 11600;
    public const int InterruptedDueToReplStateChange = 11602;
    public const int NotPrimaryNoSecondaryOk = 13435;
    public const int NotPrimaryOrSecondary = 13436;
    public const int GraphContainsCycle = 5;
    public const int Overflow = 15;
    public const int InvalidLength = 16;
    public const int EmptyFieldName = 56;
    public const int CannotCreateIndex = 67;
    public const int OperationFailed = 96;
    public const int ConflictingOperationInProgress = 117;
    public const int CommandNotSupportedOnView = 166;
    public const int OptionNotSupportedOnView = 167;
    public const int InvalidPipelineOperator = 168;
    public const int QueryPlanKilled = 175;
    public const int ViewDepthLimitExceeded = 182;
    public const int IncompleteTransactionHistory = 217;
    public const int TransactionTooOld = 225;
    public const int NotImplemented = 238;
    public const int SnapshotTooOld = 239;
    public const int ConversionFailure = 241;
    public const int TransactionCommitted = 256;
    public const int OperationNotSupportedInTransaction = 263;
    public const int CursorInUse = 292;
    public const int SearchNotEnabled = 31082;
    public const int BsonObjectTooLarge = 10334;
    public const int Location40571 = 40571; // OP_MSG requests require a $db argument
    public const int Location51003 = 51003; // createUser: the user already exists

    private static readonly FrozenDictionary<int, string> s_names = new Dictionary<int, string>
    {
        [0] = "OK",
        [InternalError] = "InternalError",
        [BadValue] = "BadValue",
        [NoSuchKey] = "NoSuchKey",
        [HostUnreachable] = "HostUnreachable",
        [HostNotFound] = "HostNotFound",
        [UnknownError] = "UnknownError",
        [FailedToParse] = "FailedToParse",
        [UserNotFound] = "UserNotFound",
        [RoleNotFound] = "RoleNotFound",
        [Unauthorized] = "Unauthorized",
        [TypeMismatch] = "TypeMismatch",
        [ProtocolError] = "ProtocolError",
        [AuthenticationFailed] = "AuthenticationFailed",
        [IllegalOperation] = "IllegalOperation",
        [InvalidBson] = "InvalidBSON",
        [24] = "LockTimeout",
        [NamespaceNotFound] = "NamespaceNotFound",
        [IndexNotFound] = "IndexNotFound",
        [PathNotViable] = "PathNotViable",
        [ConflictingUpdateOperators] = "ConflictingUpdateOperators",
        [CursorNotFound] = "CursorNotFound",
        [NamespaceExists] = "NamespaceExists",
        [MaxTimeMsExpired] = "MaxTimeMSExpired",
        [DollarPrefixedFieldName] = "DollarPrefixedFieldName",
        [InvalidIdField] = "InvalidIdField",
        [NotSingleValueField] = "NotSingleValueField",
        [CommandNotFound] = "CommandNotFound",
        [63] = "StaleShardVersion",
        [64] = "WriteConcernFailed",
        [ImmutableField] = "ImmutableField",
        [InvalidOptions] = "InvalidOptions",
        [InvalidNamespace] = "InvalidNamespace",
        [79] = "UnknownReplWriteConcern",
        [IndexOptionsConflict] = "IndexOptionsConflict",
        [IndexKeySpecsConflict] = "IndexKeySpecsConflict",
        [NetworkTimeout] = "NetworkTimeout",
        [ShutdownInProgress] = "ShutdownInProgress",
        [100] = "UnsatisfiableWriteConcern",
        [WriteConflict] = "WriteConflict",
        [CommandFailed] = "CommandFailed",
        [133] = "FailedToSatisfyReadPreference",
        [134] = "ReadConcernMajorityNotAvailableYet",
        [150] = "StaleEpoch",
        [189] = "PrimarySteppedDown",
        [SnapshotTooOld] = "SnapshotTooOld",
        [NoSuchTransaction] = "NoSuchTransaction",
        [ExceededTimeLimit] = "ExceededTimeLimit",
        [MechanismUnavailable] = "MechanismUnavailable",
        [UnsupportedOpQueryCommand] = "UnsupportedOpQueryCommand",
        [SocketException] = "SocketException",
        [NotWritablePrimary] = "NotWritablePrimary",
        [DuplicateKey] = "DuplicateKey",
        [InterruptedAtShutdown] = "InterruptedAtShutdown",
        [11601] = "Interrupted",
        [InterruptedDueToReplStateChange] = "InterruptedDueToReplStateChange",
        [NotPrimaryNoSecondaryOk] = "NotPrimaryNoSecondaryOk",
        [NotPrimaryOrSecondary] = "NotPrimaryOrSecondary",
        [13388] = "StaleConfig",
        [GraphContainsCycle] = "GraphContainsCycle",
        [Overflow] = "Overflow",
        [InvalidLength] = "InvalidLength",
        [EmptyFieldName] = "EmptyFieldName",
        [CannotCreateIndex] = "CannotCreateIndex",
        [OperationFailed] = "OperationFailed",
        [ConflictingOperationInProgress] = "ConflictingOperationInProgress",
        [CommandNotSupportedOnView] = "CommandNotSupportedOnView",
        [OptionNotSupportedOnView] = "OptionNotSupportedOnView",
        [InvalidPipelineOperator] = "InvalidPipelineOperator",
        [QueryPlanKilled] = "QueryPlanKilled",
        [ViewDepthLimitExceeded] = "ViewDepthLimitExceeded",
        [IncompleteTransactionHistory] = "IncompleteTransactionHistory",
        [TransactionTooOld] = "TransactionTooOld",
        [NotImplemented] = "NotImplemented",
        [ConversionFailure] = "ConversionFailure",
        [TransactionCommitted] = "TransactionCommitted",
        [OperationNotSupportedInTransaction] = "OperationNotSupportedInTransaction",
        [CursorInUse] = "CursorInUse",
        [SearchNotEnabled] = "SearchNotEnabled",
        [BsonObjectTooLarge] = "BSONObjectTooLarge",
    }.ToFrozenDictionary();

    /// <summary>Codes for which a failed retryable write carries the RetryableWriteError label.</summary>
    private static readonly FrozenSet<int> s_retryableWriteCodes = new[]
    {
        HostUnreachable, HostNotFound, NetworkTimeout, ShutdownInProgress, 189, ExceededTimeLimit, SocketException,
        NotWritablePrimary, InterruptedAtShutdown, InterruptedDueToReplStateChange, NotPrimaryNoSecondaryOk,
        NotPrimaryOrSecondary, 63, 150, 134, 13388,
    }.ToFrozenSet();

    /// <summary>mongod's Interruption category (error_codes.yml): such an error always fails a whole write command.</summary>
    private static readonly FrozenSet<int> s_interruptionCodes = new[]
    {
        24 /* LockTimeout */, MaxTimeMsExpired, 237 /* CursorKilled */, ExceededTimeLimit, 279 /* ClientDisconnect */,
        281 /* TransactionCoordinatorSteppingDown */, 282 /* TransactionCoordinatorReachedAbortDecision */,
        290 /* TransactionExceededLifetimeLimitSeconds */, 355 /* InterruptedDueToStorageChange */,
        453 /* InterruptedDueToReshardingCriticalSection */, InterruptedAtShutdown, 11601 /* Interrupted */,
        InterruptedDueToReplStateChange, 46841 /* ClientMarkedKilled */, 91331 /* RetriableRemoteCommandFailure */,
        10045600 /* InterruptedDueToFCVChange */,
    }.ToFrozenSet();

    /// <summary>mongod's RetriableError category (error_codes.yml), the retryable half of isTransientTransactionError.</summary>
    private static readonly FrozenSet<int> s_retriableCodes = new[]
    {
        HostUnreachable, HostNotFound, NetworkTimeout, ShutdownInProgress, 134, 189, ExceededTimeLimit, 317, 384, 402, 406,
        407, 412, 453, 462, SocketException, NotWritablePrimary, InterruptedAtShutdown, InterruptedDueToReplStateChange,
        NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary, 50915, 91331, 10045600,
    }.ToFrozenSet();

    /// <summary>The server's name for a code; codes it has no name for are reported as "Location&lt;code&gt;".</summary>
    public static string NameOf(int code) =>
        s_names.TryGetValue(code, out string? name) ? name : "Location" + code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsRetryableWriteError(int code) => s_retryableWriteCodes.Contains(code);

    /// <summary>mongod's ErrorCodes::isInterruption.</summary>
    public static bool IsInterruption(int code) => s_interruptionCodes.Contains(code);

    /// <summary>
    /// mongod's isTransientTransactionError: the transaction failed with no lasting effect and may be run again whole.
    /// Inside a transaction a retryable error (a step-down, say) is transient too; NoSuchTransaction from commit or
    /// abort only counts when no write concern error came with it.
    /// </summary>
    public static bool IsTransientTransactionError(int code, bool hasWriteConcernError, bool isCommitOrAbort)
    {
        if (code == 358 /* InternalTransactionNotSupported: a retryable write error, never transient */)
        {
            return false;
        }

        if (code is WriteConflict or 24 /* LockTimeout */ or 267 /* PreparedTransactionInProgress */
            or 239 or 246 or 250 or 272 /* the SnapshotError category */ or 249 /* StaleDbVersion */
            or 150 or 13388 or 63 /* NeedRetargettingError (StaleEpoch, StaleConfig, the old StaleShardVersion) */)
        {
            return true;
        }

        return isCommitOrAbort
            ? code == NoSuchTransaction && !hasWriteConcernError
            : code == NoSuchTransaction || s_retriableCodes.Contains(code) || IsRetryableWriteError(code);
    }

    /// <summary>
    /// mongod's write_ops_exec handleError, for one statement of insert, update, delete or bulkWrite that failed with
    /// <paramref name="code"/>: true when the error fails the whole command (an ok:0 reply) rather than becoming the
    /// statement's write error. Interruptions always do; inside a transaction so does a transient transaction error,
    /// so that the client gets the TransientTransactionError label and runs the transaction again. Any other error in
    /// a transaction stays a write error, stops the batch and aborts the transaction.
    /// </summary>
    public static bool FailsWholeWriteCommand(int code, bool inTransaction) =>
        IsInterruption(code) || (inTransaction && IsTransientTransactionError(code, hasWriteConcernError: false, isCommitOrAbort: false));
}
