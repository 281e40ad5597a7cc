namespace Mongo.Driver;

/// <summary>Server error codes the driver classifies (retryable, state-change, auth).</summary>
internal static class ErrorCodes
{
    public const int HostUnreachable = 6;
    public const int HostNotFound = 7;
    public const int AuthenticationFailed = 18;
    public const int NetworkTimeout = 89;
    public const int ShutdownInProgress = 91;
    public const int PrimarySteppedDown = 189;
    public const int ExceededTimeLimit = 262;
    public const int SocketException = 9001;
    public const int NotWritablePrimary = 10107;
    public const int InterruptedAtShutdown = 11600;
    public const int InterruptedDueToReplStateChange = 11602;
    public const int NotPrimaryNoSecondaryOk = 13435;
    public const int NotPrimaryOrSecondary = 13436;
    public const int StaleShardVersion = 63;
    public const int StaleEpoch = 150;
    public const int StaleConfig = 13388;
    public const int RetryChangeStream = 234;
    public const int FailedToSatisfyReadPreference = 133;
    public const int LegacyNotPrimary = 10058;
    public const int CommandNotFound = 59;
    public const int MaxTimeMSExpired = 50;
    public const int ReadConcernMajorityNotAvailableYet = 134;
    public const int UnknownReplWriteConcern = 79;
    public const int UnsatisfiableWriteConcern = 100;

    /// <summary>Codes the retryable reads/writes specs retry on.</summary>
    public static bool IsRetryable(int code) => code is
        InterruptedAtShutdown or InterruptedDueToReplStateChange or NotWritablePrimary or NotPrimaryNoSecondaryOk
        or NotPrimaryOrSecondary or PrimarySteppedDown or ShutdownInProgress or HostNotFound or HostUnreachable
        or NetworkTimeout or SocketException or ExceededTimeLimit or ReadConcernMajorityNotAvailableYet;

    /// <summary>Codes a pre-4.4 server's error gets the RetryableWriteError label for (retryable-writes spec; the read list minus ReadConcernMajorityNotAvailableYet).</summary>
    public static bool IsRetryableWrite(int code) => code != ReadConcernMajorityNotAvailableYet && IsRetryable(code);

    /// <summary>"Not writable primary" errors (SDAM).</summary>
    public static bool IsNotPrimary(int code) => code is NotWritablePrimary or NotPrimaryNoSecondaryOk or LegacyNotPrimary;

    /// <summary>"Node is recovering" errors (SDAM).</summary>
    public static bool IsNodeIsRecovering(int code) => code is
        InterruptedAtShutdown or InterruptedDueToReplStateChange or NotPrimaryOrSecondary or PrimarySteppedDown or ShutdownInProgress;

    /// <summary>Either kind of SDAM state-change error.</summary>
    public static bool IsStateChange(int code) => IsNotPrimary(code) || IsNodeIsRecovering(code);
}
