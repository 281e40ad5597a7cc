using System.Diagnostics;
using MongoDB.Driver;
using Xunit;
using static Mongo.InMemory.Tests.ExternalProcesses;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>
/// The diagnostic and user commands tools call (validate, currentOp, killOp, profile, dataSize, lockInfo, fsync,
/// rolesInfo, usersInfo, getParameter), mongosh's everyday helpers, and the process mode's --auth --user.
/// </summary>
public sealed class FidelityAdminCommandsTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;
    private MongoClient _client = null!;

    public async Task InitializeAsync()
    {
        var options = new InMemoryMongoServerOptions();
        options.Users.Add(new InMemoryMongoUser("root", "pw"));
        _server = await InMemoryMongoServer.StartAsync(options);
        var settings = MongoClientSettings.FromConnectionString(_server.ConnectionString);
        settings.Credential = MongoCredential.CreateCredential("admin", "root", "pw");
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        _client = new MongoClient(settings);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Task<O.BsonDocument> Run(string db, string json) =>
        _client.GetDatabase(db).RunCommandAsync<O.BsonDocument>(O.BsonDocument.Parse(json));

    private async Task<MongoCommandException> Fails(string db, string json) =>
        await Assert.ThrowsAsync<MongoCommandException>(() => Run(db, json));

    [Fact]
    public async Task Validate_and_dataSize_describe_the_collection()
    {
        var c = _client.GetDatabase("t").GetCollection<O.BsonDocument>("c");
        await c.InsertManyAsync([new O.BsonDocument { { "_id", 1 }, { "tags", new O.BsonArray { "a", "b" } } }, new O.BsonDocument("_id", 2)]);
        await c.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{tags: 1}")));

        var validate = await Run("t", "{validate: 'c'}");
        Assert.Equal("t.c", validate["ns"].AsString);
        Assert.True(validate["valid"].AsBoolean);
        Assert.Equal(2, validate["nrecords"].ToInt32());
        Assert.Equal(2, validate["nIndexes"].ToInt32());
        Assert.Equal(2, validate["keysPerIndex"]["_id_"].ToInt32());
        Assert.Equal(3, validate["keysPerIndex"]["tags_1"].ToInt32()); // multikey: one key per array element, one for the missing field
        Assert.True(validate["indexDetails"]["tags_1"]["valid"].AsBoolean);
        Assert.Empty(validate["errors"].AsBsonArray);
        var missing = await Fails("t", "{validate: 'nope'}");
        Assert.Equal(26, missing.Code);
        Assert.Equal("Collection 't.nope' does not exist to validate.", missing.ErrorMessage);

        var size = await Run("t", "{dataSize: 't.c'}");
        Assert.Equal(2, size["numObjects"].ToInt64());
        Assert.True(size["size"].ToInt64() > 20);
        Assert.False(size["estimate"].AsBoolean);
        Assert.Equal(0, (await Run("t", "{dataSize: 't.none'}"))["numObjects"].ToInt64());
    }

    [Fact]
    public async Task CurrentOp_killOp_lockInfo_fsync_and_profile()
    {
        var current = await Run("admin", "{currentOp: 1}");
        var op = Assert.Single(current["inprog"].AsBsonArray).AsBsonDocument;
        Assert.Equal("command", op["op"].AsString);
        Assert.True(op["active"].AsBoolean);
        Assert.Equal(1, op["command"]["currentOp"].ToInt32());
        Assert.Equal(13, (await Fails("t", "{currentOp: 1}")).Code);

        Assert.Equal("attempting to kill op", (await Run("admin", "{killOp: 1, op: 12345}"))["info"].AsString);
        Assert.Equal(40414, (await Fails("admin", "{killOp: 1}")).Code);
        Assert.Empty((await Run("admin", "{lockInfo: 1}"))["lockInfo"].AsBsonArray);
        Assert.Equal(1, (await Run("admin", "{fsync: 1}"))["numFiles"].ToInt32());
        Assert.Equal(238, (await Fails("admin", "{fsync: 1, lock: true}")).Code);

        var profile = await Run("t", "{profile: -1}");
        Assert.Equal(0, profile["was"].ToInt32());
        Assert.Equal(100, profile["slowms"].ToInt32());
        Assert.Equal(0, (await Run("t", "{profile: 0}"))["was"].ToInt32());
        Assert.Equal(238, (await Fails("t", "{profile: 2}")).Code);
    }

    [Fact]
    public async Task UsersInfo_forms_and_rolesInfo()
    {
        await Run("app", "{createUser: 'ann', pwd: 'x', roles: ['readWrite', {role: 'read', db: 'other'}]}");
        await Run("other", "{createUser: 'bo', pwd: 'y', roles: [], mechanisms: ['SCRAM-SHA-256']}");

        var one = await Run("app", "{usersInfo: 1}");
        var ann = Assert.Single(one["users"].AsBsonArray).AsBsonDocument;
        Assert.Equal("app.ann", ann["_id"].AsString);
        Assert.Equal(O.BsonDocument.Parse("{role: 'readWrite', db: 'app'}"), ann["roles"][0]);
        Assert.Equal(O.BsonDocument.Parse("{role: 'read', db: 'other'}"), ann["roles"][1]);
        Assert.Equal(O.BsonBinarySubType.UuidStandard, ann["userId"].AsBsonBinaryData.SubType);

        Assert.Equal("other.bo", Assert.Single((await Run("app", "{usersInfo: {user: 'bo', db: 'other'}}"))["users"].AsBsonArray)["_id"].AsString);
        Assert.Equal("app.ann", Assert.Single((await Run("app", "{usersInfo: 'ann'}"))["users"].AsBsonArray)["_id"].AsString);
        Assert.Empty((await Run("app", "{usersInfo: 'bo'}"))["users"].AsBsonArray);
        var all = await Run("admin", "{usersInfo: {forAllDBs: true}}");
        Assert.Equal(["admin.root", "app.ann", "other.bo"], all["users"].AsBsonArray.Select(u => u["_id"].AsString));
        Assert.Equal(O.BsonDocument.Parse("{role: 'root', db: 'admin'}"), all["users"][0]["roles"][0]);

        var role = Assert.Single((await Run("app", "{rolesInfo: 'readWrite'}"))["roles"].AsBsonArray).AsBsonDocument;
        Assert.Equal("app", role["db"].AsString);
        Assert.True(role["isBuiltin"].AsBoolean);
        Assert.Empty((await Run("app", "{rolesInfo: 'noSuchRole'}"))["roles"].AsBsonArray);
        Assert.Empty((await Run("app", "{rolesInfo: 1}"))["roles"].AsBsonArray);
        Assert.Contains((await Run("admin", "{rolesInfo: 1, showBuiltinRoles: true}"))["roles"].AsBsonArray, r => r["role"] == "root");
    }

    [Fact]
    public async Task GetParameter_answers_common_parameters()
    {
        var reply = await Run("admin", "{getParameter: 1, maxBSONDepth: 1, logLevel: 1, featureCompatibilityVersion: 1, notablescan: 1}");
        Assert.Equal(200, reply["maxBSONDepth"].ToInt32());
        Assert.Equal(0, reply["logLevel"].ToInt32());
        Assert.Equal("8.0", reply["featureCompatibilityVersion"]["version"].AsString);
        Assert.False(reply["notablescan"].AsBoolean);
        Assert.Equal(72, (await Fails("admin", "{getParameter: 1, noSuchParameter: 1}")).Code);
    }

    [SkippableFact]
    public async Task Mongosh_everyday_helpers_work_against_the_process_mode_with_auth_and_a_command_line_user()
    {
        string? mongosh = FindOnPath("mongosh");
        Skip.If(mongosh is null, "mongosh is not installed (npm i -g mongosh; .ci/run installs it when npm is available)");
        using var process = StartTool("--port", "0", "--auth", "--user", "admin:s3cr:et");
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string url = (await process.StandardOutput.ReadLineAsync(cts.Token))!;
            string authenticated = url.Replace("mongodb://", "mongodb://admin:s3cr%3Aet@", StringComparison.Ordinal);
            const string script = """
                db = db.getSiblingDB('shop');
                db.items.insertOne({ _id: 1, name: 'pen' });
                db.createUser({ user: 'clerk', pwd: 'pw', roles: ['readWrite'] });
                const out = {};
                out.stats = db.stats().collections;
                out.dbs = db.adminCommand({ listDatabases: 1 }).databases.map(d => d.name).filter(n => n === 'shop');
                out.collections = db.getCollectionNames();
                out.currentOp = db.currentOp().inprog.length;
                out.users = db.getUsers().users.map(u => u.user);
                out.status = typeof db.serverStatus().mem.resident;
                out.validate = db.items.validate().valid;
                print(JSON.stringify(out));
                """;
            string[] lines = await RunAsync(mongosh!, ["--quiet", "--norc", authenticated, "--eval", script]);
            var result = O.BsonDocument.Parse(lines[^1]);
            Assert.Equal(1, result["stats"].ToInt32());
            Assert.Equal(new O.BsonArray { "shop" }, result["dbs"]);
            Assert.Equal(new O.BsonArray { "items" }, result["collections"]);
            Assert.Equal(1, result["currentOp"].ToInt32());
            Assert.Equal(new O.BsonArray { "clerk" }, result["users"]);
            Assert.Equal("number", result["status"].AsString);
            Assert.True(result["validate"].AsBoolean);

            // show dbs / show collections are shell commands, not functions: they print through the same commands.
            // The user is admin's: name shop as the database and admin as where to authenticate.
            var builder = new MongoUrlBuilder(authenticated) { DatabaseName = "shop", AuthenticationSource = "admin" };
            string shop = builder.ToString();
            Assert.Contains(await RunAsync(mongosh!, ["--quiet", "--norc", shop, "--eval", "show dbs"]), l => l.StartsWith("shop ", StringComparison.Ordinal));
            Assert.Contains("items", await RunAsync(mongosh!, ["--quiet", "--norc", shop, "--eval", "show collections"]));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Process_mode_auth_requires_the_command_line_user()
    {
        using var process = StartTool("--port", "0", "--auth", "--user", "app:pa:ss@appdb");
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string url = (await process.StandardOutput.ReadLineAsync(cts.Token))!;

            using (var anonymous = new MongoClient(url))
            {
                var denied = await Assert.ThrowsAsync<MongoCommandException>(() =>
                    anonymous.GetDatabase("appdb").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("listCollections", 1)));
                Assert.Equal(13, denied.Code);
            }

            var settings = MongoClientSettings.FromConnectionString(url);
            settings.Credential = MongoCredential.CreateCredential("appdb", "app", "pa:ss");
            using var client = new MongoClient(settings);
            await client.GetDatabase("appdb").GetCollection<O.BsonDocument>("c").InsertOneAsync(new O.BsonDocument("a", 1));
            Assert.Equal(1, await client.GetDatabase("appdb").GetCollection<O.BsonDocument>("c").CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        using var refused = StartTool("--port", "0", "--auth");
        string error = await refused.StandardError.ReadToEndAsync();
        await refused.WaitForExitAsync();
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--auth needs at least one --user", error);
    }
}
