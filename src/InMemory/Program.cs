using System.Globalization;

namespace Mongo.InMemory;

/// <summary>Runs the server as a process: <c>dotnet run --project src/InMemory -- --port 27017 [--replSet rs0] [--unixSocket /tmp/mongo.sock]</c>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var options = new InMemoryMongoServerOptions();
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
                    case "--sharded":
                        options.Sharded = true;
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
                    case "--help" or "-h":
                        Console.WriteLine("Usage: Mongo.InMemory [--port N] [--bind_ip ADDRESS] [--unixSocket /path/to/mongo.sock [--noTcp]] [--replSet NAME | --sharded | --loadBalanced] [--maxConns N] [--networkMessageCompressors snappy,zlib,zstd|disabled]");
                        return 0;
                    default:
                        throw new ArgumentException($"Unknown argument '{args[i]}' (try --help).");
                }
            }

            options.Validate();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(options).ConfigureAwait(false);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // shut down cleanly instead of being killed
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

        Console.WriteLine(server.ConnectionString);
        if (options.ListenOnTcp && server.UnixSocketConnectionString is string unix)
        {
            Console.WriteLine(unix);
        }

        Console.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }

        Console.Error.WriteLine("Mongo.InMemory: stopping.");
        return 0;
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
