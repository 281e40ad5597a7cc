using Microsoft.Extensions.Logging;
using Mongo.Bson;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;

namespace Mongo.Driver.Tests.Configuration;

/// <summary>
/// Connection-string warnings reach the client's <see cref="MongoClientSettings.LoggerFactory"/> (they are logged, never
/// thrown), and a wrong password in the connection string shows up in no exception text and no log message.
/// </summary>
public sealed class ClientConfigurationLogTests
{
    [Fact]
    public void UnknownAndIgnoredUriOptionsAreLoggedAsWarningsThroughTheClientsLoggerFactory()
    {
        var logs = new LogCapture();
        MongoClientSettings settings = MongoClientSettings.FromConnectionString("mongodb://127.0.0.1:1/?fooBar=1&compressors=zlib,lz4&serverSelectionTimeoutMS=100");
        settings.LoggerFactory = logs;
        using var client = new MongoClient(settings); // does not throw for the unknown option

        CapturedLog[] warnings = [.. logs.Logs.Where(l => l.Category == "Mongo.Driver.Configuration")];
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.Contains(warnings, w => w.Text.Contains("'fooBar'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Text.Contains("lz4", StringComparison.Ordinal));
        Assert.Equal(2, warnings.Length);
    }

    [Fact]
    public void ACleanConnectionStringLogsNoConfigurationWarning()
    {
        var logs = new LogCapture();
        MongoClientSettings settings = MongoClientSettings.FromConnectionString("mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=100");
        settings.LoggerFactory = logs;
        using var client = new MongoClient(settings);
        Assert.DoesNotContain(logs.Logs, l => l.Category == "Mongo.Driver.Configuration");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AWrongPasswordIsInNoExceptionTextAndNoLog(bool async)
    {
        const string wrong = "wr0ng-p4ssw0rd";
        var options = new InMemoryMongoServerOptions();
        options.Users.Add(new InMemoryMongoUser("alice", "right-password"));
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(options);
        var logs = new LogCapture();
        MongoClientSettings settings = MongoClientSettings.FromConnectionString(
            $"mongodb://alice:{wrong}@127.0.0.1:{server.Port}/?serverSelectionTimeoutMS=5000&bogusOption=1");
        settings.LoggerFactory = logs;
        using var client = new MongoClient(settings);
        MongoDatabase admin = client.GetDatabase("admin");
        var ping = new BsonDocument("ping", 1);
        MongoException error = await Assert.ThrowsAnyAsync<MongoException>(async () =>
        {
            if (async)
            {
                await admin.RunCommandAsync(ping);
            }
            else
            {
                admin.RunCommand(ping);
            }
        });

        Assert.True(error is MongoAuthenticationException || error.InnerException is MongoAuthenticationException, error.ToString());
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, client.Settings.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logs.Logs);
        foreach (CapturedLog log in logs.Logs)
        {
            Assert.DoesNotContain(wrong, log.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(log.Fields, f => f.Value?.ToString()?.Contains(wrong, StringComparison.Ordinal) == true);
            Assert.True(log.Exception is null || !log.Exception.ToString().Contains(wrong, StringComparison.Ordinal));
        }
    }
}
