using System.Runtime.InteropServices;
using Mongo.Bson;
using Mongo.InMemory.Commands.Data;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>The administrative and diagnostic commands the wire side implements.</summary>
internal static partial class AdminCommands
{
    public static IEnumerable<ICommandHandler> All() =>
    [
        new HelloCommand(),
        new DelegateCommand(["ping"], static _ => new BsonDocument()),
        new DelegateCommand(["buildInfo", "buildinfo"], BuildInfo),
        new DelegateCommand(["getParameter"], GetParameter),
        new DelegateCommand(["serverStatus"], ServerStatus),
        new DelegateCommand(["whatsmyuri"], static c => new BsonDocument("you", c.Connection.RemoteEndPoint?.ToString() ?? "unknown")),
        new DelegateCommand(["connectionStatus"], ConnectionStatus),
        new DelegateCommand(["hostInfo"], HostInfo),
        new DelegateCommand(["listCommands"], ListCommands),
        new DelegateCommand(["getLog"], GetLog),
        new DelegateCommand(["getCmdLineOpts"], GetCmdLineOpts),
        new DelegateCommand(["getDefaultRWConcern"], GetDefaultRwConcern),
        new DelegateCommand(["endSessions"], static context =>
        {
            context.Server.Sessions.End(context.Command);
            context.Server.Transactions.AbortSessions(SessionKeys(context.Command[0]) ?? [], "its session ended", forget: true);
            return new BsonDocument();
        }),
        new DelegateCommand(["killSessions"], static context =>
        {
            // An empty list kills every session (of the user, and without authentication that is all of them).
            List<string>? keys = SessionKeys(context.Command[0]);
            context.Server.Transactions.AbortSessions(keys is { Count: > 0 } ? keys : null, "its session was killed");
            return new BsonDocument();
        }),
        new DelegateCommand(["killAllSessions", "killAllSessionsByPattern"], static context =>
        {
            context.Server.Transactions.AbortSessions(null, "its session was killed");
            return new BsonDocument();
        }),
        new DelegateCommand(["refreshSessions"], static _ => new BsonDocument()),
        new DelegateCommand(["setParameter"], SetParameter),
        new DelegateCommand(["startSession"], StartSession),
        new DelegateCommand(["configureFailPoint"], static c => c.Server.FailPoints.Configure(c.Command)),
        new DelegateCommand(["getMore"], GetMore),
        new DelegateCommand(["saslStart"], SaslStart),
        new DelegateCommand(["saslContinue"], SaslContinue),
        new DelegateCommand(["logout"], Logout),
        new DelegateCommand(["authenticate"], Authenticate),
        new DelegateCommand(["createUser"], CreateUser),
        new DelegateCommand(["dropUser"], DropUser),
        new DelegateCommand(["updateUser"], UpdateUser),
        new DelegateCommand(["dropAllUsersFromDatabase"], DropAllUsersFromDatabase),
        new DelegateCommand(["grantRolesToUser"], GrantRolesToUser),
        new DelegateCommand(["revokeRolesFromUser"], RevokeRolesFromUser),
        new DelegateCommand(["usersInfo"], UsersInfo),
        new DelegateCommand(["killCursors"], KillCursors),
        new DelegateCommand(["commitTransaction", "abortTransaction"], OutsideTransaction),
        .. DiagnosticCommands(),
        .. MaintenanceCommands(),
    ];

    /// <summary>
    /// commitTransaction and abortTransaction that reach a handler: the dispatcher has already refused every one sent
    /// within a transaction (with autocommit: false), so what is left is mongod's answer to one sent outside any.
    /// </summary>
    private static BsonDocument OutsideTransaction(CommandContext context)
    {
        string name = context.CommandName;
        if (context.DatabaseName != "admin")
        {
            throw Errors.Of(ErrorCodes.Unauthorized, name + " may only be run against the admin database.");
        }

        throw Errors.Of(ErrorCodes.CommandFailed, name + " must be run within a transaction");
    }

    private static BsonDocument BuildInfo(CommandContext context)
    {
        string version = context.Server.Options.ServerVersion;
        var versionArray = new BsonArray();
        foreach (string part in version.Split('.'))
        {
            versionArray.Add(int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : 0);
        }

        while (versionArray.Count < 4)
        {
            versionArray.Add(0);
        }

        return new BsonDocument
        {
            { "version", version },
            { "gitVersion", "0000000000000000000000000000000000000000" },
            { "modules", new BsonArray() },
            { "allocator", "system" },
            { "javascriptEngine", "none" },
            { "sysInfo", "deprecated" },
            { "versionArray", versionArray },
            { "openssl", new BsonDocument("running", "disabled") },
            { "buildEnvironment", new BsonDocument { { "distarch", TargetArch() }, { "target_arch", TargetArch() }, { "target_os", OperatingSystemName() } } },
            { "bits", 64 },
            { "debug", false },
            { "maxBsonObjectSize", HelloCommand.MaxBsonObjectSize },
            { "storageEngines", new BsonArray { "inMemory" } },
        };
    }

    private static BsonDocument GetParameter(CommandContext context)
    {
        var state = context.Server;
        var all = new BsonDocument
        {
            { "featureCompatibilityVersion", new BsonDocument("version", "8.0") },
            { "authenticationMechanisms", new BsonArray { "MONGODB-X509", "SCRAM-SHA-1", "SCRAM-SHA-256" } },
            { "enableTestCommands", true },
            { "requireApiVersion", false },
            { "cursorTimeoutMillis", new BsonInt64((long)state.Cursors.Timeout.TotalMilliseconds) },
            { "transactionLifetimeLimitSeconds", state.Transactions.LifetimeLimitSeconds },
            { "minSnapshotHistoryWindowInSeconds", state.History.WindowSeconds },
            { "maxBSONDepth", Mongo.Bson.BsonLimits.MaxDepth },
            { "internalQueryMaxBlockingSortMemoryUsageBytes", 104857600 },
            { "internalDocumentSourceGroupMaxMemoryBytes", 104857600 },
            { "maxTransactionLockRequestTimeoutMillis", 5 },
            { "logLevel", state.Parameters.LogLevel },
            { "logComponentVerbosity", state.Parameters.ComponentVerbosity },
            { "quiet", state.Parameters.Quiet },
            { "notablescan", state.Storage.NoTableScan },
            { "tlsMode", "disabled" },
            { "ttlMonitorEnabled", state.Storage.TtlMonitorEnabled },
            { "maxIndexBuildMemoryUsageMegabytes", 200 },
        };

        BsonValue selector = context.Command[0];
        if (selector.IsString && selector.AsString == "*")
        {
            return all;
        }

        if (selector.IsDocument && selector.AsDocument.TryGetValue("allParameters", out BsonValue? allParameters) && allParameters.ToBoolean())
        {
            return all;
        }

        var reply = new BsonDocument();
        for (int i = 1; i < context.Command.ElementCount; i++)
        {
            string name = context.Command.GetElement(i).Name;
            if (all.TryGetValue(name, out BsonValue? value))
            {
                reply.Add(name, value);
            }
        }

        if (reply.ElementCount == 0)
        {
            throw Errors.Of(ErrorCodes.InvalidOptions, "no option found to get");
        }

        return reply;
    }

    /// <summary>The lsid keys (hex of the id) an endSessions or killSessions array names; null when it is not an array.</summary>
    private static List<string>? SessionKeys(BsonValue list)
    {
        if (list is not BsonArray array)
        {
            return null;
        }

        var keys = new List<string>(array.Count);
        foreach (BsonValue value in array)
        {
            if (value is BsonDocument document && document.GetValueOrDefault("id") is BsonBinaryData id)
            {
                keys.Add(Convert.ToHexString(id.Bytes));
            }
        }

        return keys;
    }

    private static BsonDocument ServerStatus(CommandContext context)
    {
        var state = context.Server;
        var stats = state.Statistics;
        TimeSpan uptime = DateTime.UtcNow - state.StartTime;
        var reply = new BsonDocument
        {
            { "host", state.HostAndPort },
            { "version", state.Options.ServerVersion },
            { "process", "mongod" },
            { "pid", new BsonInt64(Environment.ProcessId) },
            { "uptime", uptime.TotalSeconds },
            { "uptimeMillis", new BsonInt64((long)uptime.TotalMilliseconds) },
            { "uptimeEstimate", new BsonInt64((long)uptime.TotalSeconds) },
            { "localTime", new BsonDateTime(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) },
            {
                "connections", new BsonDocument
                {
                    { "current", (int)stats.CurrentConnections },
                    { "available", Math.Max(0, state.Options.MaxConnections - (int)stats.CurrentConnections) },
                    { "totalCreated", new BsonInt64(stats.ConnectionsAccepted) },
                    { "rejected", new BsonInt64(stats.ConnectionsRejected) },
                }
            },
            {
                "opcounters", new BsonDocument
                {
                    { "insert", new BsonInt64(stats.GetCommandCount("insert")) },
                    { "query", new BsonInt64(stats.GetCommandCount("find")) },
                    { "update", new BsonInt64(stats.GetCommandCount("update")) },
                    { "delete", new BsonInt64(stats.GetCommandCount("delete")) },
                    { "getmore", new BsonInt64(stats.GetCommandCount("getMore")) },
                    { "command", new BsonInt64(stats.OpMsgReceived + stats.OpQueryReceived) },
                }
            },
            {
                "network", new BsonDocument
                {
                    { "numRequests", new BsonInt64(stats.OpMsgReceived + stats.OpQueryReceived) },
                    {
                        "compression", new BsonDocument
                        {
                            { "snappy", CompressionCounters(stats, "snappy") },
                            { "zlib", CompressionCounters(stats, "zlib") },
                            { "zstd", CompressionCounters(stats, "zstd") },
                        }
                    },
                }
            },
            {
                "metrics", new BsonDocument
                {
                    {
                        "cursor", new BsonDocument
                        {
                            { "timedOut", new BsonInt64(state.Cursors.TimedOut) },
                            { "open", new BsonDocument("total", new BsonInt64(state.Cursors.Count)) },
                        }
                    },
                }
            },
            { "storageEngine", new BsonDocument { { "name", "inMemory" }, { "supportsCommittedReads", true }, { "persistent", false } } },
            { "mem", MemorySection() },
        };

        if (state.IsReplicaSet || state.IsRouter)
        {
            reply.Add("transactions", state.Transactions.ServerStatus());
        }

        if (state.Replication is Server.Replication.ReplicaMember member)
        {
            reply.Add("repl", ReplSetCommands.ServerStatusSection(member));
        }

        return reply;
    }

    private static BsonDocument CompressionCounters(InMemoryServerStatistics stats, string name) => new()
    {
        { "compressor", new BsonDocument("messages", new BsonInt64(stats.GetCompressedRepliesSent(name))) },
        { "decompressor", new BsonDocument("messages", new BsonInt64(stats.GetCompressedMessagesReceived(name))) },
    };

    private static BsonDocument ConnectionStatus(CommandContext context)
    {
        var users = new BsonArray();
        var roles = new BsonArray();
        if (context.Connection.AuthenticatedUser is string qualified)
        {
            int dot = qualified.IndexOf('.', StringComparison.Ordinal);
            users.Add(new BsonDocument { { "user", qualified[(dot + 1)..] }, { "db", qualified[..dot] } });
            roles.Add(new BsonDocument { { "role", "root" }, { "db", "admin" } });
        }

        return new BsonDocument("authInfo", new BsonDocument { { "authenticatedUsers", users }, { "authenticatedUserRoles", roles } });
    }

    private static BsonDocument HostInfo(CommandContext context) => new()
    {
        {
            "system", new BsonDocument
            {
                { "currentTime", new BsonDateTime(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) },
                { "hostname", Environment.MachineName },
                { "cpuAddrSize", Environment.Is64BitProcess ? 64 : 32 },
                { "memSizeMB", new BsonInt64(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024)) },
                { "numCores", Environment.ProcessorCount },
                { "cpuArch", RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant() },
                { "numaEnabled", false },
            }
        },
        {
            "os", new BsonDocument
            {
                { "type", OperatingSystemName() },
                { "name", RuntimeInformation.OSDescription },
                { "version", Environment.OSVersion.VersionString },
            }
        },
        { "extra", new BsonDocument() },
    };

    private static BsonDocument ListCommands(CommandContext context)
    {
        var commands = new BsonDocument();
        var names = context.Server.CommandNames.ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        foreach (string name in names)
        {
            commands.Add(name, new BsonDocument
            {
                { "help", string.Empty },
                { "requiresAuth", false },
                { "secondaryOk", true },
                { "adminOnly", false },
                { "apiVersions", new BsonArray() },
                { "deprecatedApiVersions", new BsonArray() },
            });
        }

        return new BsonDocument("commands", commands);
    }

    private static BsonDocument GetLog(CommandContext context)
    {
        BsonValue which = context.Command[0];
        if (which.IsString && which.AsString == "*")
        {
            return new BsonDocument("names", new BsonArray { "global", "startupWarnings" });
        }

        if (which.IsString && which.AsString is "global" or "startupWarnings")
        {
            return new BsonDocument { { "totalLinesWritten", 0 }, { "log", new BsonArray() } };
        }

        throw Errors.Of(ErrorCodes.BadValue, "Argument to getLog must be of type String; found " + which.BsonType);
    }

    private static BsonDocument GetCmdLineOpts(CommandContext context)
    {
        var argv = new BsonArray { "mongo-inmemory" };
        var parsed = new BsonDocument("net", new BsonDocument { { "bindIp", "127.0.0.1" }, { "port", context.Server.Port } });
        if (context.Server.Options.ReplicaSetName is string setName)
        {
            parsed.Add("replication", new BsonDocument("replSet", setName));
        }

        return new BsonDocument { { "argv", argv }, { "parsed", parsed } };
    }

    private static BsonDocument GetDefaultRwConcern(CommandContext context) => new()
    {
        { "defaultReadConcern", new BsonDocument("level", "local") },
        { "defaultWriteConcern", new BsonDocument { { "w", context.Server.IsReplicaSet ? "majority" : 1 }, { "wtimeout", 0 } } },
        { "defaultReadConcernSource", "implicit" },
        { "defaultWriteConcernSource", "implicit" },
        { "localUpdateWallClockTime", new BsonDateTime(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) },
    };

    private static BsonDocument StartSession(CommandContext context) => new()
    {
        { "id", new BsonDocument("id", new BsonBinaryData(Guid.NewGuid().ToByteArray(bigEndian: true), BsonBinarySubType.UuidStandard)) },
        { "timeoutMinutes", 30 },
    };

    /// <summary>serverStatus.mem as mongod reports it: the process's resident and virtual sizes in MiB.</summary>
    private static BsonDocument MemorySection()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new BsonDocument
        {
            { "bits", 64 },
            { "resident", (int)(process.WorkingSet64 / (1024 * 1024)) },
            { "virtual", (int)(process.VirtualMemorySize64 / (1024 * 1024)) },
            { "supported", true },
        };
    }

    /// <summary>buildInfo's buildEnvironment.target_arch: the machine the server runs on, in mongod's spelling.</summary>
    private static string TargetArch() => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "x86_64",
        System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
        System.Runtime.InteropServices.Architecture.X86 => "i386",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static string OperatingSystemName() =>
        OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "Darwin" : "Linux";
}
