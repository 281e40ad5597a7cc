using Mongo.Bson;
using Mongo.InMemory.Auth;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>
/// User management: createUser (SCRAM users with a password; X.509 users in $external named by their certificate
/// subject), dropUser and usersInfo (the commands that change users are in AdminCommands.UserUpdates). Roles are accepted and reported but not enforced: an authenticated user may
/// run every command.
/// </summary>
internal static partial class AdminCommands
{
    private static BsonDocument CreateUser(CommandContext context)
    {
        BsonDocument command = context.Command;
        string name = UserName(command, "createUser");
        string database = context.DatabaseName;
        RefuseAuthenticationRestrictions(command);
        bool external = database == UserStore.ExternalDatabase;
        bool hasPassword = command.TryGetValue("pwd", out BsonValue? pwd);
        if (hasPassword && !pwd!.IsString)
        {
            throw Errors.Of(ErrorCodes.TypeMismatch, "\"pwd\" must be a string.");
        }

        InMemoryMongoUser user;
        if (external)
        {
            if (hasPassword)
            {
                throw Errors.Of(ErrorCodes.BadValue, "Cannot set the password for users defined on the '$external' database.");
            }

            user = InMemoryMongoUser.X509(name);
        }
        else
        {
            if (!hasPassword)
            {
                throw Errors.Of(ErrorCodes.BadValue, "Must provide a 'pwd' field for all user documents, except those with '$external' as the user's source db.");
            }

            user = new InMemoryMongoUser(name, pwd!.AsString, database);
            if (command.TryGetValue("mechanisms", out BsonValue? mechanisms) && mechanisms.IsArray)
            {
                user.Mechanisms.Clear();
                foreach (BsonValue mechanism in mechanisms.AsArray)
                {
                    user.Mechanisms.Add(mechanism.IsString ? mechanism.AsString : string.Empty);
                }
            }
        }

        if (user.Mechanisms.Count == 0 || InMemoryMongoServerOptions.ValidateUser(user) is string)
        {
            throw Errors.Of(ErrorCodes.BadValue, "Unsupported or empty 'mechanisms' for user \"" + name + "@" + database + "\".");
        }

        BsonArray roles = Roles(command, database, "createUser");
        bool added;
        try
        {
            added = context.Server.Users.Add(user);
        }
        catch (ArgumentException refused)
        {
            throw Engine.Errors.BadValue("Error preparing the password for SCRAM-SHA-256 with SASLprep: " + refused.Message);
        }

        if (!added)
        {
            throw Errors.Of(ErrorCodes.Location51003, $"User \"{name}@{database}\" already exists");
        }

        context.Server.Users.SetRoles(database, name, roles);
        if (command.GetValueOrDefault("customData") is BsonDocument customData)
        {
            context.Server.Users.SetCustomData(database, name, (BsonDocument)customData.DeepClone());
        }

        return new BsonDocument();
    }

    private static BsonDocument DropUser(CommandContext context)
    {
        string name = UserName(context.Command, "dropUser");
        if (!context.Server.Users.Remove(context.DatabaseName, name))
        {
            throw Errors.Of(ErrorCodes.UserNotFound, $"User '{name}@{context.DatabaseName}' not found");
        }

        return new BsonDocument();
    }

    /// <summary>A command's roles in usersInfo's normalised form ({role, db}; a bare name is a role of the user's database).</summary>
    private static BsonArray Roles(BsonDocument command, string database, string commandName)
    {
        var roles = new BsonArray();
        if (!command.TryGetValue("roles", out BsonValue? value))
        {
            return roles;
        }

        if (!value.IsArray)
        {
            throw Errors.Of(ErrorCodes.TypeMismatch, "BSON field '" + commandName + ".roles' is the wrong type '" + Engine.BsonOrder.TypeName(value) + "', expected type 'array'");
        }

        foreach (BsonValue role in value.AsArray)
        {
            roles.Add(RoleName(role, database, commandName + ".roles"));
        }

        return roles;
    }

    /// <summary>A role named as a string (of <paramref name="database"/>) or as {role, db}, as {role, db}.</summary>
    private static BsonDocument RoleName(BsonValue role, string database, string field)
    {
        if (role.IsString)
        {
            return new BsonDocument { { "role", role.AsString }, { "db", database } };
        }

        if (role is BsonDocument named && named.GetValueOrDefault("role") is BsonString r && named.GetValueOrDefault("db") is BsonString d)
        {
            return new BsonDocument { { "role", r.Value }, { "db", d.Value } };
        }

        throw Errors.Of(ErrorCodes.BadValue, "Role names must be either strings or objects (in " + field + ")");
    }

    /// <summary>usersInfo: 1 (this database's users), a name, {user, db}, an array of those, or {forAllDBs: true}.</summary>
    private static BsonDocument UsersInfo(CommandContext context)
    {
        BsonValue selector = context.Command[0];
        var store = context.Server.Users;
        IEnumerable<InMemoryMongoUser> selected;
        if (selector.IsNumeric && selector.ToDouble() == 1)
        {
            selected = store.AllUsers.Where(u => u.Database == context.DatabaseName);
        }
        else if (selector is BsonDocument { } all && all.GetValueOrDefault("forAllDBs") is { } forAll && forAll.ToBoolean())
        {
            selected = store.AllUsers;
        }
        else
        {
            var names = new List<InMemoryMongoUser>();
            foreach (BsonValue one in selector.IsArray ? selector.AsArray : new BsonArray { selector })
            {
                (string db, string user) = one switch
                {
                    BsonString s => (context.DatabaseName, s.Value),
                    BsonDocument d when d.GetValueOrDefault("user") is BsonString u && d.GetValueOrDefault("db") is BsonString db2 => (db2.Value, u.Value),
                    _ => throw Errors.Of(ErrorCodes.BadValue, "User name must be either a string or an object with user and db fields"),
                };
                if (store.FindUser(db, user) is { } found)
                {
                    names.Add(found);
                }
            }

            selected = names;
        }

        var users = new BsonArray();
        foreach (InMemoryMongoUser user in selected.OrderBy(u => u.Database, StringComparer.Ordinal).ThenBy(u => u.UserName, StringComparer.Ordinal))
        {
            var mechanisms = new BsonArray();
            foreach (string mechanism in user.Mechanisms)
            {
                mechanisms.Add(mechanism);
            }

            // A configured user may run everything, which is what root on admin grants.
            BsonArray roles = store.RolesOf(user.Database, user.UserName) is { } recorded
                ? (BsonArray)recorded.DeepClone()
                : new BsonArray { new BsonDocument { { "role", "root" }, { "db", "admin" } } };
            users.Add(new BsonDocument
            {
                { "_id", user.Database + "." + user.UserName },
                { "userId", new BsonBinaryData(UserId(user), BsonBinarySubType.UuidStandard) },
                { "user", user.UserName },
                { "db", user.Database },
                { "roles", roles },
                { "mechanisms", mechanisms },
            });
            if (store.CustomDataOf(user.Database, user.UserName) is { } customData)
            {
                // mongod lists customData after db, as it is stored.
                ((BsonDocument)users[users.Count - 1]).InsertAt(4, new BsonElement("customData", customData.DeepClone()));
            }
        }

        return new BsonDocument("users", users);
    }

    /// <summary>A stable UUID per user name (the server keeps no other identity for a user).</summary>
    private static byte[] UserId(InMemoryMongoUser user)
    {
        byte[] hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user.Database + "\0" + user.UserName));
        byte[] id = hash[..16];
        id[6] = (byte)((id[6] & 0x0F) | 0x40); // version 4 layout, so clients print it as a UUID
        id[8] = (byte)((id[8] & 0x3F) | 0x80);
        return id;
    }

    private static readonly string[] s_databaseRoles = ["read", "readWrite", "dbAdmin", "dbOwner", "userAdmin"];

    private static readonly string[] s_adminRoles =
    [
        "clusterAdmin", "clusterManager", "clusterMonitor", "hostManager", "backup", "restore", "readAnyDatabase",
        "readWriteAnyDatabase", "userAdminAnyDatabase", "dbAdminAnyDatabase", "root", "enableSharding", "directShardOperations",
    ];

    private static bool IsBuiltinRole(string role, string database) =>
        s_databaseRoles.Contains(role) || (database == "admin" && (s_adminRoles.Contains(role) || role == "__system"));

    /// <summary>
    /// rolesInfo: the built-in roles (there are no user-defined roles: createRole is not implemented). 1 lists this
    /// database's user-defined roles (none) plus, with showBuiltinRoles, the built-in ones.
    /// </summary>
    private static BsonDocument RolesInfo(CommandContext context)
    {
        BsonValue selector = context.Command[0];
        var roles = new BsonArray();
        static BsonDocument Describe(string role, string db) => new()
        {
            { "role", role },
            { "db", db },
            { "isBuiltin", true },
            { "roles", new BsonArray() },
            { "inheritedRoles", new BsonArray() },
        };

        if (selector.IsNumeric && selector.ToDouble() == 1)
        {
            if (context.Command.GetValueOrDefault("showBuiltinRoles") is { } show && show.ToBoolean())
            {
                foreach (string role in context.DatabaseName == "admin" ? s_databaseRoles.Concat(s_adminRoles) : s_databaseRoles)
                {
                    roles.Add(Describe(role, context.DatabaseName));
                }
            }
        }
        else
        {
            foreach (BsonValue one in selector.IsArray ? selector.AsArray : new BsonArray { selector })
            {
                BsonDocument name = RoleName(one, context.DatabaseName, "rolesInfo");
                if (IsBuiltinRole(name["role"].AsString, name["db"].AsString))
                {
                    roles.Add(Describe(name["role"].AsString, name["db"].AsString));
                }
            }
        }

        return new BsonDocument("roles", roles);
    }

    private static string UserName(BsonDocument command, string commandName)
    {
        BsonValue value = command[0];
        if (!value.IsString || value.AsString.Length == 0)
        {
            throw Errors.Of(ErrorCodes.BadValue, $"'{commandName}' needs a non-empty user name.");
        }

        return value.AsString;
    }
}
