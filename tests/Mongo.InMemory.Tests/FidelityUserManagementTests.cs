using Mongo.InMemory;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>
/// updateUser, dropAllUsersFromDatabase, grantRolesToUser and revokeRolesFromUser as mongod 8.0 answers them: the
/// changes show in usersInfo and in authentication, and misuse gets mongod's codes and messages.
/// </summary>
public sealed class FidelityUserManagementTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync()
    {
        var options = new InMemoryMongoServerOptions();
        options.Users.Add(new InMemoryMongoUser("root", "pw"));
        _server = await InMemoryMongoServer.StartAsync(options);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MongoClient Client(string user, string password, string database = "admin", string mechanism = "SCRAM-SHA-256")
    {
        var settings = MongoClientSettings.FromConnectionString(_server.ConnectionString);
        settings.Credential = new MongoCredential(mechanism, new MongoInternalIdentity(database, user), new PasswordEvidence(password));
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        return new MongoClient(settings);
    }

    private async Task<O.BsonDocument> Run(string database, string command)
    {
        using var root = Client("root", "pw");
        return await root.GetDatabase(database).RunCommandAsync<O.BsonDocument>(O.BsonDocument.Parse(command));
    }

    private async Task<MongoCommandException> Fails(string database, string command) =>
        await Assert.ThrowsAsync<MongoCommandException>(() => Run(database, command));

    private async Task<bool> Authenticates(string user, string password, string database = "app", string mechanism = "SCRAM-SHA-256")
    {
        using var client = Client(user, password, database, mechanism);
        try
        {
            await client.GetDatabase(database).RunCommandAsync<O.BsonDocument>(new O.BsonDocument("ping", 1));
            return true;
        }
        catch (Exception ex) when (ex is MongoAuthenticationException || ex.ToString().Contains("MongoAuthenticationException", StringComparison.Ordinal))
        {
            return false;
        }
    }

    private async Task<O.BsonDocument> UserInfo(string user, string database = "app") =>
        (await Run(database, "{usersInfo: '" + user + "'}"))["users"].AsBsonArray.Single().AsBsonDocument;

    [Fact]
    public async Task UpdateUser_changes_password_roles_and_customData()
    {
        await Run("app", "{createUser: 'u', pwd: 'old', roles: ['read']}");
        await Run("app", "{updateUser: 'u', pwd: 'new', roles: [{role: 'readWrite', db: 'app'}, 'dbAdmin'], customData: {team: 'x'}}");
        Assert.False(await Authenticates("u", "old"));
        Assert.True(await Authenticates("u", "new"));
        Assert.True(await Authenticates("u", "new", mechanism: "SCRAM-SHA-1"));
        var info = await UserInfo("u");
        Assert.Equal(O.BsonDocument.Parse("{team: 'x'}"), info["customData"]);
        Assert.Equal(O.BsonArray.Create(new[] { O.BsonDocument.Parse("{role: 'readWrite', db: 'app'}"), O.BsonDocument.Parse("{role: 'dbAdmin', db: 'app'}") }), info["roles"]);
    }

    [Fact]
    public async Task UpdateUser_mechanisms_without_a_password_keep_a_subset()
    {
        await Run("app", "{createUser: 'm', pwd: 'pw', roles: []}");
        await Run("app", "{updateUser: 'm', mechanisms: ['SCRAM-SHA-256']}");
        Assert.Equal(new O.BsonArray { "SCRAM-SHA-256" }, (await UserInfo("m"))["mechanisms"]);
        Assert.True(await Authenticates("m", "pw"));
        Assert.False(await Authenticates("m", "pw", mechanism: "SCRAM-SHA-1"));

        var wider = await Fails("app", "{updateUser: 'm', mechanisms: ['SCRAM-SHA-1', 'SCRAM-SHA-256']}");
        Assert.Equal((2, "mechanisms field must be a subset of previously set mechanisms"), (wider.Code, wider.ErrorMessage));
        var empty = await Fails("app", "{updateUser: 'm', mechanisms: []}");
        Assert.Equal((2, "mechanisms field must not be empty"), (empty.Code, empty.ErrorMessage));
    }

    [Fact]
    public async Task UpdateUser_refusals_are_mongods()
    {
        await Run("app", "{createUser: 'r', pwd: 'pw', roles: []}");
        var nothing = await Fails("app", "{updateUser: 'r'}");
        Assert.Equal((2, "BadValue", "Must specify at least one field to update in updateUser"), (nothing.Code, nothing.CodeName, nothing.ErrorMessage));
        var missing = await Fails("app", "{updateUser: 'nobody', pwd: 'x'}");
        Assert.Equal((11, "UserNotFound", "User nobody@app not found"), (missing.Code, missing.CodeName, missing.ErrorMessage));
        var role = await Fails("app", "{updateUser: 'r', roles: ['noSuchRole']}");
        Assert.Equal((31, "RoleNotFound", "No role named noSuchRole@app"), (role.Code, role.CodeName, role.ErrorMessage));
        var pwdType = await Fails("app", "{updateUser: 'r', pwd: {}, roles: []}");
        Assert.Equal((14, "BSON field 'updateUser.pwd' is the wrong type 'object', expected type 'string'"), (pwdType.Code, pwdType.ErrorMessage));
        var external = await Fails("$external", "{updateUser: 'CN=x', pwd: 'x'}");
        Assert.Equal((2, "Cannot set the password for users defined on the '$external' database"), (external.Code, external.ErrorMessage));
        var restrictions = await Fails("app", "{updateUser: 'r', authenticationRestrictions: [{clientSource: ['127.0.0.1']}]}");
        Assert.Equal((238, "NotImplemented"), (restrictions.Code, restrictions.CodeName));
        Assert.True(await Authenticates("r", "pw")); // nothing changed by the refusals
    }

    [Fact]
    public async Task Grant_and_revoke_roles()
    {
        await Run("app", "{createUser: 'g', pwd: 'pw', roles: ['read']}");
        await Run("app", "{grantRolesToUser: 'g', roles: ['readWrite', 'read', {role: 'clusterMonitor', db: 'admin'}]}");
        Assert.Equal(3, (await UserInfo("g"))["roles"].AsBsonArray.Count);
        await Run("app", "{revokeRolesFromUser: 'g', roles: ['read', {role: 'clusterMonitor', db: 'admin'}]}");
        Assert.Equal(new O.BsonArray { O.BsonDocument.Parse("{role: 'readWrite', db: 'app'}") }, (await UserInfo("g"))["roles"]);

        var empty = await Fails("app", "{grantRolesToUser: 'g', roles: []}");
        Assert.Equal((2, "grantRolesToUser command requires a non-empty \"roles\" array"), (empty.Code, empty.ErrorMessage));
        var noRoles = await Fails("app", "{revokeRolesFromUser: 'g'}");
        Assert.Equal((40414, "BSON field 'revokeRolesFromUser.roles' is missing but a required field"), (noRoles.Code, noRoles.ErrorMessage));
        var nobody = await Fails("app", "{grantRolesToUser: 'nobody', roles: ['read']}");
        Assert.Equal((11, "Could not find user \"nobody\" for db \"app\""), (nobody.Code, nobody.ErrorMessage));
        var unknown = await Fails("app", "{revokeRolesFromUser: 'g', roles: ['clusterAdmin']}"); // an admin-only role named on app
        Assert.Equal((31, "No role named clusterAdmin@app"), (unknown.Code, unknown.ErrorMessage));
    }

    [Fact]
    public async Task DropAllUsersFromDatabase_counts_and_removes_only_that_databases_users()
    {
        await Run("app", "{createUser: 'a1', pwd: 'pw', roles: []}");
        await Run("app", "{createUser: 'a2', pwd: 'pw', roles: []}");
        await Run("other", "{createUser: 'o1', pwd: 'pw', roles: []}");
        Assert.Equal(2, (await Run("app", "{dropAllUsersFromDatabase: 1}"))["n"].ToInt32());
        Assert.Empty((await Run("app", "{usersInfo: 1}"))["users"].AsBsonArray);
        Assert.Single((await Run("other", "{usersInfo: 1}"))["users"].AsBsonArray);
        Assert.False(await Authenticates("a1", "pw"));
        Assert.Equal(0, (await Run("app", "{dropAllUsersFromDatabase: 1}"))["n"].ToInt32());
    }
}
