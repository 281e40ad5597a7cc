using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mongo.Bson;
using Mongo.Driver;
using Mongo.Extensions.DependencyInjection;

namespace Mongo.Extensions.Tests;

public sealed class DependencyInjectionTests(InMemoryServerFixture server) : IClassFixture<InMemoryServerFixture>
{
    public sealed class Item
    {
        public ObjectId Id { get; set; }
        public string Name { get; set; } = "";
    }

    [Fact]
    public async Task ConnectionStringRegistration_GivesOneClientAndTypedCollectionThatReachTheServer()
    {
        var services = new ServiceCollection();
        services.AddMongoClient(server.ConnectionString + "di1").AddDatabase().AddCollection<Item>("items");
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<MongoClient>();
        Assert.Same(client, provider.GetRequiredService<MongoClient>());
        var database = provider.GetRequiredService<MongoDatabase>();
        Assert.Equal("di1", database.DatabaseName);
        Assert.Same(client, database.Client);

        var items = provider.GetRequiredService<MongoCollection<Item>>();
        await items.InsertOneAsync(new Item { Name = "pen" });
        var found = await items.Find(i => i.Name == "pen").ToListAsync();
        Assert.Equal("pen", Assert.Single(found).Name);
        Assert.Equal(1L, await database.GetCollection("items").CountDocumentsAsync(Filter.Empty));
    }

    [Fact]
    public void ConfigureCallback_ChangesSettingsAfterTheConnectionString()
    {
        var services = new ServiceCollection();
        services.AddMongoClient(server.ConnectionString + "?appName=fromUri", s => s.MaxPoolSize = 7);
        using var provider = services.BuildServiceProvider();
        var settings = provider.GetRequiredService<MongoClient>().Settings;
        Assert.Equal(7, settings.MaxPoolSize);
        Assert.Equal("fromUri", settings.ApplicationName);
    }

    [Fact]
    public void MalformedConnectionString_FailsAtRegistration()
    {
        var services = new ServiceCollection();
        Assert.Throws<MongoConfigurationException>(() => services.AddMongoClient("http://nope"));
        Assert.Empty(services);
    }

    [Fact]
    public async Task Configuration_ReadsConnectionStringsAndTheOptionsSection()
    {
        var configuration = Configuration(new()
        {
            ["ConnectionStrings:mongo"] = server.ConnectionString + "cfg",
            ["Mongo:ApplicationName"] = "shop",
            ["Mongo:MaxPoolSize"] = "12",
            ["Mongo:MinPoolSize"] = "1",
            ["Mongo:ServerSelectionTimeout"] = "00:00:07",
            ["Mongo:RetryWrites"] = "false",
            ["Mongo:orders:ApplicationName"] = "another client's section, skipped",
        });
        var services = new ServiceCollection();
        services.AddMongoClient(configuration).AddDatabase();
        await using var provider = services.BuildServiceProvider();

        var settings = provider.GetRequiredService<MongoClient>().Settings;
        Assert.Equal("shop", settings.ApplicationName);
        Assert.Equal(12, settings.MaxPoolSize);
        Assert.Equal(1, settings.MinPoolSize);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.ServerSelectionTimeout);
        Assert.False(settings.RetryWrites);
        var database = provider.GetRequiredService<MongoDatabase>();
        Assert.Equal("cfg", database.DatabaseName);
        Assert.Equal(1.0, (await database.RunCommandAsync(new BsonDocument("ping", 1)))["ok"].ToDouble());
    }

    [Fact]
    public void Configuration_ConnectionStringsWinOverTheSectionsConnectionString()
    {
        var both = MongoConfiguration.ReadSettings(Configuration(new()
        {
            ["ConnectionStrings:mongo"] = "mongodb://first:27017/",
            ["Mongo:ConnectionString"] = "mongodb://second:27017/",
        }));
        Assert.Equal("first", Assert.Single(both.Servers).Host);

        var sectionOnly = MongoConfiguration.ReadSettings(Configuration(new() { ["Db:ConnectionString"] = "mongodb://second:27017/app" }), sectionName: "Db");
        Assert.Equal("second", Assert.Single(sectionOnly.Servers).Host);
        Assert.Equal("app", sectionOnly.DefaultDatabase);
    }

    [Theory]
    [InlineData("Mongo:MaxPoolSise", "12", "Unknown MongoDB option 'Mongo:MaxPoolSise'")]
    [InlineData("Mongo:MaxPoolSize", "many", "'Mongo:MaxPoolSize' has an invalid value 'many'")]
    [InlineData("Mongo:MaxPoolSize", "-1", "'Mongo:MaxPoolSize' has an invalid value '-1'")]
    [InlineData("Mongo:ConnectTimeout", "soon", "'Mongo:ConnectTimeout' has an invalid value 'soon'")]
    [InlineData("Mongo:RetryReads", "yes", "'Mongo:RetryReads' has an invalid value 'yes'")]
    public void Configuration_UnknownOrMalformedOption_ThrowsNamingTheKey(string key, string value, string expected)
    {
        var configuration = Configuration(new() { ["ConnectionStrings:mongo"] = "mongodb://localhost/", [key] = value });
        var e = Assert.Throws<MongoConfigurationException>(() => new ServiceCollection().AddMongoClient(configuration));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_WithoutAConnectionString_ThrowsNamingBothPlaces()
    {
        var e = Assert.Throws<MongoConfigurationException>(() => new ServiceCollection().AddMongoClient(Configuration(new() { ["Mongo:ApplicationName"] = "x" })));
        Assert.Contains("ConnectionStrings:mongo", e.Message, StringComparison.Ordinal);
        Assert.Contains("Mongo:ConnectionString", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_MalformedConnectionString_DoesNotRepeatIt()
    {
        var e = Assert.Throws<MongoConfigurationException>(() => MongoConfiguration.ReadSettings(Configuration(new() { ["ConnectionStrings:mongo"] = "mongodb://user:s3cret@/" })));
        Assert.Contains("ConnectionStrings:mongo", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsFactory_RunsOnFirstResolutionWithTheProvider()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new AppOptions("factoryApp"));
        int calls = 0;
        services.AddMongoClient(sp =>
        {
            calls++;
            var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
            settings.ApplicationName = sp.GetRequiredService<AppOptions>().Name;
            return settings;
        });
        Assert.Equal(0, calls);
        using var provider = services.BuildServiceProvider();
        Assert.Equal("factoryApp", provider.GetRequiredService<MongoClient>().Settings.ApplicationName);
        provider.GetRequiredService<MongoClient>();
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task KeyedClients_AreSeparateAndTheirHandlesCarryTheirKey()
    {
        var configuration = Configuration(new()
        {
            ["ConnectionStrings:audit"] = server.ConnectionString + "auditDb",
            ["Mongo:audit:ApplicationName"] = "auditor",
        });
        var services = new ServiceCollection();
        services.AddKeyedMongoClient("main", server.ConnectionString + "mainDb").AddDatabase().AddCollection<Item>("items");
        services.AddKeyedMongoClient("audit", configuration, "audit").AddDatabase().AddCollection<Item>("items", "otherDb");
        await using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<MongoClient>());
        var main = provider.GetRequiredKeyedService<MongoClient>("main");
        var audit = provider.GetRequiredKeyedService<MongoClient>("audit");
        Assert.NotSame(main, audit);
        Assert.Equal("auditor", audit.Settings.ApplicationName);
        Assert.Equal("mainDb", provider.GetRequiredKeyedService<MongoDatabase>("main").DatabaseName);
        Assert.Equal("auditDb", provider.GetRequiredKeyedService<MongoDatabase>("audit").DatabaseName);
        Assert.Same(audit, provider.GetRequiredKeyedService<MongoDatabase>("audit").Client);

        await provider.GetRequiredKeyedService<MongoCollection<Item>>("audit").InsertOneAsync(new Item { Name = "audited" });
        Assert.Equal(1L, await main.GetDatabase("otherDb").GetCollection("items").CountDocumentsAsync(Filter.Empty));
        Assert.Equal(0L, await main.GetDatabase("mainDb").GetCollection("items").CountDocumentsAsync(Filter.Empty));
    }

    [Fact]
    public void AddDatabase_WithoutANameAnywhere_ThrowsOnResolution()
    {
        var services = new ServiceCollection();
        services.AddMongoClient(server.ConnectionString).AddDatabase();
        using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<MongoConfigurationException>(() => provider.GetRequiredService<MongoDatabase>());
        Assert.Contains("AddDatabase", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheContainersLoggerFactory_IsUsedAndReceivesTheDriversLogs()
    {
        var sink = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Trace));
        services.AddMongoClient(server.ConnectionString);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<MongoClient>();
        Assert.Same(provider.GetRequiredService<ILoggerFactory>(), client.Settings.LoggerFactory);
        await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
        Assert.Contains(sink.Categories, c => c == "Mongo.Driver.Command");
    }

    [Fact]
    public void AnExplicitLoggerFactory_IsKept_AndTheCallersSettingsAreNotChanged()
    {
        using var own = LoggerFactory.Create(_ => { });
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        var withoutLogger = MongoClientSettings.FromConnectionString(server.ConnectionString);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKeyedMongoClient("own", _ => { settings.LoggerFactory = own; return settings; });
        services.AddKeyedMongoClient("container", _ => withoutLogger);
        using var provider = services.BuildServiceProvider();

        Assert.Same(own, provider.GetRequiredKeyedService<MongoClient>("own").Settings.LoggerFactory);
        Assert.NotNull(provider.GetRequiredKeyedService<MongoClient>("container").Settings.LoggerFactory);
        Assert.Null(withoutLogger.LoggerFactory);
    }

    [Fact]
    public void WithoutLogging_TheClientGetsNoLoggerFactory()
    {
        var services = new ServiceCollection();
        services.AddMongoClient(server.ConnectionString);
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetRequiredService<MongoClient>().Settings.LoggerFactory);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DisposingTheContainer_DisposesTheClient(bool async)
    {
        var services = new ServiceCollection();
        services.AddMongoClient(server.ConnectionString + "disposal").AddCollection<Item>("items");
        var provider = services.BuildServiceProvider();
        var items = provider.GetRequiredService<MongoCollection<Item>>();
        await items.InsertOneAsync(new Item { Name = "before" });

        if (async)
        {
            await provider.DisposeAsync();
        }
        else
        {
            provider.Dispose();
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => items.InsertOneAsync(new Item { Name = "after" }));
    }

    internal static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private sealed record AppOptions(string Name);
}
