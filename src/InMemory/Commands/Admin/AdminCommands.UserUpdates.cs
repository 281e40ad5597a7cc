using Mongo.Bson;
using Mongo.InMemory.Auth;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>
/// Changing users as mongod's user management commands do: updateUser (password, mechanisms, roles, customData),
/// dropAllUsersFromDatabase, grantRolesToUser and revokeRolesFromUser. Roles must exist (the built-in ones: this
/// server has no user-defined roles); they are recorded and reported by usersInfo, not enforced.
/// </summary>
internal static partial class AdminCommands
{
    private static BsonDocument UpdateUser(CommandContext context)
    {
        BsonDocument command = context.Command;
        string name = UserName(command, "updateUser");
        string database = context.DatabaseName;
        UserStore store = context.Server.Users;
        RefuseAuthenticationRestrictions(command);

        List<string>? mechanisms = null;
        if (command.GetValueOrDefault("mechanisms") is { } mechanismsValue)
        {
            mechanisms = TypedArray(mechanismsValue, "updateUser.mechanisms").Select(m => m.IsString ? m.AsString : string.Empty).ToList();
            if (mechanisms.Count == 0)
            {
                throw Errors.Of(ErrorCodes.BadValue, "mechanisms field must not be empty");
            }
        }

        string? password = null;
        if (command.GetValueOrDefault("pwd") is { } pwd)
        {
            password = pwd as BsonString is { } text ? text.Value : throw WrongType("updateUser.pwd", pwd, "string");
            if (database == UserStore.ExternalDatabase)
            {
                throw Errors.Of(ErrorCodes.BadValue, "Cannot set the password for users defined on the '$external' database");
            }
        }

        BsonDocument? customData = null;
        if (command.GetValueOrDefault("customData") is { } data)
        {
            customData = data as BsonDocument ?? throw WrongType("updateUser.customData", data, "object");
        }

        BsonArray? roles = command.Contains("roles") ? Roles(command, database, "updateUser") : null;
        if (password is null && mechanisms is null && customData is null && roles is null)
        {
            throw Errors.Of(ErrorCodes.BadValue, "Must specify at least one field to update in updateUser");
        }

        if (roles is not null)
        {
            RequireRolesExist(roles);
        }

        InMemoryMongoUser existing = store.FindUser(database, name)
            ?? throw Errors.Of(ErrorCodes.UserNotFound, $"User {name}@{database} not found");
        if (password is not null || mechanisms is not null)
        {
            if (password is null && mechanisms!.Any(m => !existing.Mechanisms.Contains(m)))
            {
                throw Errors.Of(ErrorCodes.BadValue, "mechanisms field must be a subset of previously set mechanisms");
            }

            var user = new InMemoryMongoUser(name, password ?? existing.Password, database);
            if (mechanisms is not null)
            {
                user.Mechanisms.Clear();
                foreach (string mechanism in mechanisms.Distinct())
                {
                    user.Mechanisms.Add(mechanism);
                }
            }

            if (InMemoryMongoServerOptions.ValidateUser(user) is string)
            {
                throw Errors.Of(ErrorCodes.BadValue, "Unsupported or empty 'mechanisms' for user \"" + name + "@" + database + "\".");
            }

            try
            {
                store.Replace(user);
            }
            catch (ArgumentException refused)
            {
                throw Errors.BadValue("Error preparing the password for SCRAM-SHA-256 with SASLprep: " + refused.Message);
            }
        }

        if (customData is not null)
        {
            store.SetCustomData(database, name, (BsonDocument)customData.DeepClone());
        }

        if (roles is not null)
        {
            store.SetRoles(database, name, roles);
        }

        return new BsonDocument();
    }

    /// <summary>dropAllUsersFromDatabase: removes this database's users and answers how many ({n}).</summary>
    private static BsonDocument DropAllUsersFromDatabase(CommandContext context) =>
        new("n", context.Server.Users.RemoveAll(context.DatabaseName));

    private static BsonDocument GrantRolesToUser(CommandContext context) => ChangeRoles(context, "grantRolesToUser", grant: true);

    private static BsonDocument RevokeRolesFromUser(CommandContext context) => ChangeRoles(context, "revokeRolesFromUser", grant: false);

    /// <summary>grantRolesToUser / revokeRolesFromUser: the user's roles with the named ones added or removed.</summary>
    private static BsonDocument ChangeRoles(CommandContext context, string commandName, bool grant)
    {
        BsonDocument command = context.Command;
        string name = UserName(command, commandName);
        string database = context.DatabaseName;
        if (!command.Contains("roles"))
        {
            throw Errors.Of(40414, $"BSON field '{commandName}.roles' is missing but a required field");
        }

        BsonArray named = Roles(command, database, commandName);
        if (named.Count == 0)
        {
            throw Errors.Of(ErrorCodes.BadValue, $"{commandName} command requires a non-empty \"roles\" array");
        }

        UserStore store = context.Server.Users;
        if (store.FindUser(database, name) is null)
        {
            throw Errors.Of(ErrorCodes.UserNotFound, $"Could not find user \"{name}\" for db \"{database}\"");
        }

        RequireRolesExist(named);
        var roles = store.RolesOf(database, name) is { } recorded ? (BsonArray)recorded.DeepClone() : new BsonArray();
        foreach (BsonValue role in named)
        {
            bool held = roles.Contains(role);
            if (grant && !held)
            {
                roles.Add(role);
            }
            else if (!grant)
            {
                roles.Remove(role);
            }
        }

        store.SetRoles(database, name, roles);
        return new BsonDocument();
    }

    /// <summary>mongod's rolesExist: every role is a built-in one (this server has no user-defined roles).</summary>
    private static void RequireRolesExist(BsonArray roles)
    {
        foreach (BsonDocument role in roles.Cast<BsonDocument>())
        {
            string roleName = role["role"].AsString, db = role["db"].AsString;
            if (!IsBuiltinRole(roleName, db))
            {
                throw Errors.Of(ErrorCodes.RoleNotFound, $"No role named {roleName}@{db}");
            }
        }
    }

    /// <summary>Users' authenticationRestrictions (client and server address limits) are not implemented: refused by name.</summary>
    private static void RefuseAuthenticationRestrictions(BsonDocument command)
    {
        if (command.Contains("authenticationRestrictions"))
        {
            throw Errors.NotImplemented("Mongo.InMemory does not implement users' authenticationRestrictions");
        }
    }

    private static BsonArray TypedArray(BsonValue value, string field) =>
        value as BsonArray ?? throw WrongType(field, value, "array");

    private static CommandException WrongType(string field, BsonValue value, string expected) =>
        Errors.Of(ErrorCodes.TypeMismatch, $"BSON field '{field}' is the wrong type '{BsonOrder.TypeName(value)}', expected type '{expected}'");
}
