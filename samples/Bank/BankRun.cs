using System.Globalization;
using Mongo.Driver;

namespace Bank;

/// <summary>What to run.</summary>
/// <param name="Concurrent">Also run <see cref="BankRun.Tasks"/> tasks making random transfers among a few accounts.</param>
/// <param name="Rounds">Transfers per task in concurrent mode.</param>
/// <param name="Seed">A seed for reproducible accounts and transfers; null for a random one.</param>
/// <param name="Database">The database to (re)create.</param>
public sealed record BankOptions(bool Concurrent = false, int Rounds = 25, int? Seed = null, string Database = "bank");

/// <summary>
/// The classic accounts example on MongoDB: 100 accounts, one transfer of half a balance, optional concurrent transfers
/// that fight over the same accounts, 5 accounts closed, and a check that no money appeared or vanished.
/// </summary>
public static class BankRun
{
    public const int AccountCount = 100;
    public const int Tasks = 8;
    public const int ClosedCount = 5;

    // Concurrent transfers only touch this many accounts, so transactions collide and have to retry.
    private const int HotAccounts = 6;

    /// <summary>Runs the sample; returns the process exit code (0 when the total is conserved).</summary>
    public static async Task<int> RunAsync(string connectionString, BankOptions options, TextWriter output)
    {
        var settings = MongoClientSettings.FromConnectionString(connectionString);
        settings.SerializerContext = BankBson.Default;
        await using var client = new MongoClient(settings);
        var db = client.GetDatabase(options.Database);
        // Collections are created before any transaction uses them (servers before 4.4 cannot create them inside one).
        await db.DropCollectionAsync("accounts");
        await db.DropCollectionAsync("closedAccounts");
        await db.CreateCollectionAsync("accounts");
        await db.CreateCollectionAsync("closedAccounts");
        var accounts = db.GetCollection<Account>("accounts");
        var closed = db.GetCollection<ClosedAccount>("closedAccounts");
        var random = options.Seed is int seed ? new Random(seed) : new Random();

        var opened = Enumerable.Range(0, AccountCount)
            .Select(i => new Account { Id = "ACC-" + random.Next(0x100000, 0xFFFFFF).ToString("X6", CultureInfo.InvariantCulture) + "-" + i.ToString("D3", CultureInfo.InvariantCulture), Owner = "owner " + i, Balance = random.Next(1_000, 1_000_000) / 100m })
            .ToList();
        await accounts.InsertManyAsync(opened);
        decimal totalBefore = opened.Sum(a => a.Balance);
        output.WriteLine("balances before:");
        await PrintAsync(accounts, output);

        var from = opened[random.Next(opened.Count)];
        var to = opened.Where(a => a.Id != from.Id).ElementAt(random.Next(opened.Count - 1));
        decimal moved = 0;
        int retries = await TransactionRetry.RunAsync(client, async session =>
        {
            var source = await accounts.WithSession(session).FindOneAsync(a => a.Id == from.Id)
                ?? throw new InvalidOperationException("account " + from.Id + " is gone");
            moved = Math.Round(source.Balance / 2, 2, MidpointRounding.ToZero);
            await MoveAsync(accounts.WithSession(session), from.Id, to.Id, moved);
        });
        output.WriteLine($"moved {Money(moved)} from {from.Id} to {to.Id} in a transaction ({retries} retries)");

        if (options.Concurrent)
        {
            await TransferConcurrentlyAsync(client, accounts, opened.Take(HotAccounts).Select(a => a.Id).ToArray(), options, output);
        }

        foreach (var account in opened.OrderBy(_ => random.Next()).Take(ClosedCount))
        {
            await TransactionRetry.RunAsync(client, async session =>
            {
                // Delete and record in one transaction: the money of a closed account is never counted twice or lost.
                var gone = await accounts.WithSession(session).FindOneAndDeleteAsync(a => a.Id == account.Id)
                    ?? throw new InvalidOperationException("account " + account.Id + " is gone");
                await closed.WithSession(session).InsertOneAsync(new ClosedAccount { Id = gone.Id, Balance = gone.Balance, ClosedAt = DateTime.UtcNow });
            });
            output.WriteLine("closed " + account.Id);
        }

        output.WriteLine("balances after:");
        decimal open = await PrintAsync(accounts, output);
        decimal closedTotal = (await closed.Find(Filter.Empty).ToListAsync()).Sum(c => c.Balance);
        decimal totalAfter = open + closedTotal;
        output.WriteLine($"open accounts {Money(open)} + closed accounts {Money(closedTotal)}");
        if (totalAfter != totalBefore)
        {
            output.WriteLine($"NOT conserved: {Money(totalBefore)} != {Money(totalAfter)}");
            return 1;
        }

        output.WriteLine($"conserved: {Money(totalBefore)} == {Money(totalAfter)}");
        return 0;
    }

    /// <summary>Takes the amount from one account and gives it to another (inside the caller's transaction).</summary>
    private static async Task MoveAsync(MongoCollection<Account> accounts, string from, string to, decimal amount)
    {
        // The balance check is part of the filter, so an account never goes negative even if it changed since it was read.
        var debit = await accounts.UpdateOneAsync(a => a.Id == from && a.Balance >= amount, Builders<Account>.Update.Inc(a => a.Balance, -amount));
        if (debit.ModifiedCount != 1)
        {
            throw new InvalidOperationException($"account {from} cannot pay {Money(amount)}");
        }

        await accounts.UpdateOneAsync(a => a.Id == to, Builders<Account>.Update.Inc(a => a.Balance, amount));
    }

    private static async Task TransferConcurrentlyAsync(MongoClient client, MongoCollection<Account> accounts, string[] hot, BankOptions options, TextWriter output)
    {
        int retries = 0;
        int transfers = 0;
        var workers = Enumerable.Range(0, Tasks).Select(task => Task.Run(async () =>
        {
            var random = options.Seed is int seed ? new Random(seed * 31 + task) : new Random();
            for (int round = 0; round < options.Rounds; round++)
            {
                string from = hot[random.Next(hot.Length)];
                string to = hot[(Array.IndexOf(hot, from) + 1 + random.Next(hot.Length - 1)) % hot.Length];
                int taken = await TransactionRetry.RunAsync(client, async session =>
                {
                    var source = await accounts.WithSession(session).FindOneAsync(a => a.Id == from)
                        ?? throw new InvalidOperationException("account " + from + " is gone");
                    decimal amount = Math.Round(source.Balance * random.Next(1, 10) / 100m, 2, MidpointRounding.ToZero);
                    if (amount > 0)
                    {
                        await MoveAsync(accounts.WithSession(session), from, to, amount);
                    }
                });
                Interlocked.Add(ref retries, taken);
                Interlocked.Increment(ref transfers);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        output.WriteLine($"concurrent: {Tasks} tasks made {transfers} transfers among {hot.Length} accounts; {retries} retries after write conflicts");
    }

    private static async Task<decimal> PrintAsync(MongoCollection<Account> accounts, TextWriter output)
    {
        decimal total = 0;
        foreach (var account in await accounts.Find(Filter.Empty).SortBy(a => a.Id).ToListAsync())
        {
            output.WriteLine($"  {account.Id}  {Money(account.Balance),14}");
            total += account.Balance;
        }

        output.WriteLine($"  total {Money(total)}");
        return total;
    }

    private static string Money(decimal amount) => amount.ToString("N2", CultureInfo.InvariantCulture);
}
