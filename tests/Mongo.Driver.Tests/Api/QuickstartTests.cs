using System.Text.RegularExpressions;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Api;

public sealed class QuickstartTests : IClassFixture<MongoServerFixture>
{
    private readonly MongoServerFixture _server;

    public QuickstartTests(MongoServerFixture server) => _server = server;

    [Fact]
    public async Task PrintsWhatPyMongosReadmePrints()
    {
        var output = new StringWriter();
        await Quickstart.Program.RunAsync(_server.ConnectionString, output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal("test", lines[0]);
        var ids = lines[1..4].Select(line => Regex.Match(line, "^ObjectId\\('([0-9a-f]{24})'\\)$")).ToArray();
        Assert.All(ids, match => Assert.True(match.Success));
        Assert.Equal(3, ids.Select(m => m.Groups[1].Value).Distinct().Count());
        // find_one: the first inserted document, _id first then x.
        Assert.Matches("^\\{\\s*\"_id\"\\s*:\\s*\\{\\s*\"\\$oid\"\\s*:\\s*\"" + ids[0].Groups[1].Value + "\"\\s*\\}\\s*,\\s*\"x\"\\s*:\\s*10\\s*\\}$", lines[4]);
        Assert.Equal(["10", "8", "11", "x_1", "8", "10", "11", "[8, 11]"], lines[5..]);
    }
}
