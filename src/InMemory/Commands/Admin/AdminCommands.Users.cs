using Mongo.Bson;
using Mongo.InMemory.Auth;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>
/// User management: createUser (SCRAM users with a password; X.509 users in $external named by their certificate
/// subject), dropUser and usersInfo. Roles are accepted and reported but not enforced: an authenticated user may
/// run every command.
/// </summary>
internal static partial class AdminCommands
{
    private static BsonDocument CreateUser(CommandContext context)
    {
        BsonDocument command = context.Command;
        string name = UserName(command, "createUser");
        string database = context.DatabaseName;
        bool external = database == UserStore.ExternalDatabase;
        bool hasPassword = command.TryGetValue("pwd", out BsonValue? pwd);
        if (hasPassword && !pwd!.IsString)
        {
            throw new CommandException(ErrorCodes.TypeMismatch, "TypeMismatch", "\"pwd\" must be a string.");
        }

        InMemoryMongoUser user;
        if (external)
        {
            if (hasPassword)
            {
                throw new CommandException(ErrorCodes.BadValue, "BadValue", "Cannot set the password for users defined on the '$external' database.");
            }

            user = InMemoryMongoUser.X509(name);
        }
        else
        {
            if (!hasPassword)
            {
                throw new CommandException(ErrorCodes.BadValue, "BadValue", "Must provide a 'pwd' field for all user documents, except those with '$external' as the user's source db.");
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
            throw new CommandException(ErrorCodes.BadValue, "BadValue", "Unsupported or empty 'mechanisms' for user \"" + name + "@" + database + "\".");
        }

        if (!context.Server.Users.Add(user))
        {
            throw new CommandException(ErrorCodes.Location51003, "Location51003", $"User \"{name}@{database}\" already exists");
        }

        return new BsonDocument();
    }

    private static BsonDocument DropUser(CommandContext context)
    {
        string name = UserName(context.Command, "dropUser");
        if (!context.Server.Users.Remove(context.DatabaseName, name))
        {
            throw new CommandException(ErrorCodes.UserNotFound, "UserNotFound", $"User '{name}@{context.DatabaseName}' not found");
        }

        return new BsonDocument();
    }

    private static BsonDocument UsersInfo(CommandContext context)
    {
        BsonValue selector = context.Command[0];
        var users = new BsonArray();
        if (selector.IsString && context.Server.Users.FindUser(context.DatabaseName, selector.AsString) is { } user)
        {
            var mechanisms = new BsonArray();
            foreach (string mechanism in user.Mechanisms)
            {
                mechanisms.Add(mechanism);
            }

            users.Add(new BsonDocument
            {
                { "_id", user.Database + "." + user.UserName },
                { "user", user.UserName },
                { "db", user.Database },
                { "roles", new BsonArray() },
                { "mechanisms", mechanisms },
            });
        }
        else if (!selector.IsString)
        {
            throw new CommandException(ErrorCodes.BadValue, "BadValue", "usersInfo here supports only a user name.");
        }

        return new BsonDocument("users", users);
    }

    private static string UserName(BsonDocument command, string commandName)
    {
        BsonValue value = command[0];
        if (!value.IsString || value.AsString.Length == 0)
        {
            throw new CommandException(ErrorCodes.BadValue, "BadValue", $"'{commandName}' needs a non-empty user name.");
        }

        return value.AsString;
    }
}
