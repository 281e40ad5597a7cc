using System.Globalization;

namespace Mongo.InMemory.Tool;

/// <summary>
/// Runs the server as a process: <c>dotnet run --project src/InMemory.Tool -- --port 27017 [--replSet rs0 [--members 3]]
/// [--unixSocket /tmp/mongo.sock] [--auth --user name:password]</c>. With <c>--members N</c> (2 to 7) it runs an <see cref="InMemoryReplicaSet"/> whose
/// members listen on consecutive ports from <c>--port</c> (each on an ephemeral port with <c>--port 0</c>); it prints the
/// set's connection string first, then each member's direct one.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var options = new InMemoryMongoServerOptions();
        int members = 1;
        bool auth = false;
        int routers = 1;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--port":
                        options.Port = int.Parse(Next(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    case "--replSet":
                        options.ReplicaSetName = Next(args, ref i);
                        break;
                    case "--members":
                        members = int.Parse(Next(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    case "--sharded":
                        options.Sharded = true;
                        break;
                    case "--routers":
                        routers = int.Parse(Next(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    case "--loadBalanced":
                        options.LoadBalanced = true;
                        break;
                    case "--unixSocket":
                        options.UnixSocketPath = Next(args, ref i);
                        break;
                    case "--noTcp":
                        options.ListenOnTcp = false;
                        break;
                    case "--bind_ip":
                        options.BindAddress = System.Net.IPAddress.Parse(Next(args, ref i));
                        break;
                    case "--maxConns":
                        options.MaxConnections = int.Parse(Next(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    case "--networkMessageCompressors":
                        options.Compressors.Clear();
                        foreach (string name in Next(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        {
                            if (name != "disabled")
                            {
                                options.Compressors.Add(name);
                            }
                        }

                        break;
                    case "--auth":
                        auth = true;
                        break;
                    case "--user":
                        options.Users.Add(ParseUser(Next(args, ref i)));
                        break;
                    case "--help" or "-h":
                        Console.WriteLine("Usage: mongo-inmemory [--port N] [--bind_ip ADDRESS] [--unixSocket /path/to/mongo.sock [--noTcp]] [--replSet NAME [--members N] | --sharded [--routers N] | --loadBalanced] [--maxConns N] [--networkMessageCompressors snappy,zlib,zstd|disabled] [--auth --user NAME:PASSWORD[@DB]]");
                        Console.WriteLine("  --members N (2-7, with --replSet): N members on consecutive ports from --port (ephemeral ports with --port 0).");
                        Console.WriteLine("  --routers N (2-16, with --sharded): a cluster of N mongos routers sharing one data set, ports as for --members.");
                        Console.WriteLine("  --auth --user NAME:PASSWORD[@DB] (repeatable): require authentication; each --user is a SCRAM user (of admin by default).");
                        return 0;
                    default:
                        throw new ArgumentException($"Unknown argument '{args[i]}' (try --help).");
                }
            }

            // As mongod's --auth: authentication is required; here the users come from the command line (a server
            // with users always requires it, so --user alone implies --auth).
            if (auth && options.Users.Count == 0)
            {
                throw new ArgumentException("--auth needs at least one --user NAME:PASSWORD (Mongo.InMemory has no localhost exception to create the first user).");
            }

            options.Validate();
            if (members != 1)
            {
                return await RunReplicaSetAsync(options, members).ConfigureAwait(false);
            }

            if (routers != 1)
            {
                return await RunShardedClusterAsync(options, routers).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(options).ConfigureAwait(false);

        Console.WriteLine(server.ConnectionString);
        if (options.ListenOnTcp && server.UnixSocketConnectionString is string unix)
        {
            Console.WriteLine(unix);
        }

        Console.Out.Flush();
        await WaitForStopAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>--replSet NAME --members N: the members take the server options, each on its own port.</summary>
    private static async Task<int> RunReplicaSetAsync(InMemoryMongoServerOptions options, int members)
    {
        if (options.ReplicaSetName is not string name)
        {
            throw new ArgumentException("--members needs --replSet NAME.");
        }

        if (members is < 1 or > 7)
        {
            throw new ArgumentException($"--members must be between 1 and 7 but was {members}.");
        }

        if (options.UnixSocketPath is not null)
        {
            throw new ArgumentException("--unixSocket cannot be combined with --members: each member listens on its own TCP port.");
        }

        var setOptions = new InMemoryReplicaSetOptions { Name = name, Port = options.Port, Server = options.Clone() };
        setOptions.Server.Port = 0;
        setOptions.Server.ReplicaSetName = null;
        await using InMemoryReplicaSet set = await InMemoryReplicaSet.StartAsync(members, setOptions).ConfigureAwait(false);
        Console.WriteLine(set.ConnectionString);
        foreach (InMemoryReplicaSetMember member in set.Members)
        {
            Console.WriteLine(member.DirectConnectionString);
        }

        Console.Out.Flush();
        await WaitForStopAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>--sharded --routers N: N routers of one cluster, each on its own port.</summary>
    private static async Task<int> RunShardedClusterAsync(InMemoryMongoServerOptions options, int routers)
    {
        if (!options.Sharded || options.LoadBalanced)
        {
            throw new ArgumentException("--routers needs --sharded.");
        }

        await using InMemoryShardedCluster cluster = await InMemoryShardedCluster.StartAsync(routers, options).ConfigureAwait(false);
        Console.WriteLine(cluster.ConnectionString);
        Console.Out.Flush();
        await WaitForStopAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Waits for Ctrl+C or the end of the process, so the server shuts down cleanly instead of being killed.</summary>
    private static async Task WaitForStopAsync()
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }

        Console.Error.WriteLine("Mongo.InMemory: stopping.");
    }

    /// <summary>--user NAME:PASSWORD[@DB]: the password runs to the last '@' (or the end), so it may contain ':'.</summary>
    private static InMemoryMongoUser ParseUser(string value)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new ArgumentException($"--user needs NAME:PASSWORD[@DB] but was '{value}'.");
        }

        string name = value[..colon];
        string password = value[(colon + 1)..];
        string database = "admin";
        int at = password.LastIndexOf('@');
        if (at >= 0)
        {
            database = password[(at + 1)..];
            password = password[..at];
        }

        if (password.Length == 0 || database.Length == 0)
        {
            throw new ArgumentException($"--user needs a non-empty password and database but was '{value}'.");
        }

        return new InMemoryMongoUser(name, password, database);
    }

    private static string Next(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new ArgumentException($"Argument '{args[i]}' needs a value.");
        }

        return args[++i];
    }
}
