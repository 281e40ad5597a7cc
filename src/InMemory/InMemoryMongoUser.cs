namespace Mongo.InMemory;

/// <summary>
/// A user an <see cref="InMemoryMongoServer"/> accepts with SCRAM-SHA-1 or SCRAM-SHA-256. When
/// <see cref="InMemoryMongoServerOptions.Users"/> holds any user, the server requires authentication.
/// </summary>
public sealed class InMemoryMongoUser
{
    /// <summary>Creates a user.</summary>
    /// <param name="userName">The user name.</param>
    /// <param name="password">The password (kept in memory only to derive SCRAM keys; never printed).</param>
    /// <param name="database">The authentication database; "admin" by default.</param>
    public InMemoryMongoUser(string userName, string password, string database = "admin")
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentException.ThrowIfNullOrEmpty(database);
        UserName = userName;
        Password = password;
        Database = database;
    }

    /// <summary>The user name.</summary>
    public string UserName { get; }

    /// <summary>The authentication database.</summary>
    public string Database { get; }

    internal string Password { get; }

    /// <summary>The SCRAM mechanisms this user may use; both by default.</summary>
    public IList<string> Mechanisms { get; } = ["SCRAM-SHA-1", "SCRAM-SHA-256"];

    /// <summary>Describes the user without its password.</summary>
    public override string ToString() => Database + "." + UserName;
}
