using System.Globalization;
using Mongo.InMemory;

namespace Bank;

/// <summary>
/// <c>dotnet run --project samples/Bank [-- --concurrent] [--rounds N] [--seed N]</c>: against <c>MONGODB_URI</c> (a replica
/// set or sharded cluster: transactions need one), or a single-member in-memory replica set.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        BankOptions options;
        try
        {
            options = Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine("usage: Bank [--concurrent] [--rounds N] [--seed N]");
            return 2;
        }

        string? uri = Environment.GetEnvironmentVariable("MONGODB_URI");
        if (!string.IsNullOrEmpty(uri))
        {
            return await BankRun.RunAsync(uri, options, Console.Out);
        }

        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        return await BankRun.RunAsync(server.ConnectionString, options, Console.Out);
    }

    public static BankOptions Parse(string[] args)
    {
        var options = new BankOptions();
        for (int i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--concurrent" => options with { Concurrent = true },
                "--rounds" => options with { Rounds = Number(args, ++i, "--rounds") },
                "--seed" => options with { Seed = Number(args, ++i, "--seed") },
                _ => throw new ArgumentException("unknown argument '" + args[i] + "'"),
            };
        }

        return options;
    }

    private static int Number(string[] args, int i, string name) =>
        i < args.Length && int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException(name + " needs a positive number");
}
