namespace Mongo.Driver.Tests.Specs;

/// <summary>
/// Every spec case this driver deliberately does not pass, with the reason, in one place. Keys are
/// "suite/file.json: description" (or "suite/file.json" for one-test-per-file suites).
/// </summary>
internal static class SpecSkips
{
    private static readonly Dictionary<string, string> s_skips = new(StringComparer.Ordinal)
    {
        // auth/tests/legacy: two cases predate the 2025-09-30 change (DRIVERS-3131) that forbids explicit MONGODB-AWS
        // credentials; the same file's newer cases ("should throw an exception if username and password provided") assert the opposite.
        ["auth/tests/legacy/connection-string.json: should use username and password if specified (MONGODB-AWS)"] =
            "Stale case: the auth spec (2025-09-30, DRIVERS-3131) requires an error for a user name/password with MONGODB-AWS, as the newer cases in the same file assert.",
        ["auth/tests/legacy/connection-string.json: should use username, password and session token if specified (MONGODB-AWS)"] =
            "Stale case: the auth spec (2025-09-30, DRIVERS-3131) forbids explicit MONGODB-AWS credentials and AWS_SESSION_TOKEN, as the newer cases in the same file assert.",

        // connection-string/tests: ignoring the malformed authMechanismProperties (as the case wants) leaves MONGODB-OIDC without
        // ENVIRONMENT, which auth/tests/legacy ("neither environment nor callbacks specified") requires to be an error.
        ["connection-string/tests/valid-warnings.json: Comma in a key value pair causes a warning"] =
            "Conflicts with the auth spec: once the invalid authMechanismProperties is ignored, MONGODB-OIDC has no ENVIRONMENT and no callback, which must raise an error.",
    };

    /// <summary>
    /// Parts of spec cases whose assertion is not made (the rest of the case runs), with the reason.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SkippedAssertions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["initial-dns-seedlist-discovery/tests/*: hosts, numHosts"] =
            "Need SDAM against a live replica set / sharded cluster / load balancer on localhost:27017-27019 with TLS; no such deployment here.",
        ["initial-dns-seedlist-discovery/tests/*: ping"] =
            "Needs a live deployment reachable at the SRV targets (localhost.test.build.10gen.cc:27017.., TLS); not available here.",
    };

    /// <summary>The reason a case is skipped, or null when it runs.</summary>
    public static string? Reason(string key) => s_skips.GetValueOrDefault(key);

    /// <summary>All skipped cases (for the listing test).</summary>
    public static IReadOnlyDictionary<string, string> All => s_skips;
}
