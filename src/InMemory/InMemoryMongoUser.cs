namespace Mongo.InMemory;

/// <summary>
/// A user an <see cref="InMemoryMongoServer"/> accepts: a SCRAM-SHA-1/SCRAM-SHA-256 user with a password, or a
/// MONGODB-X509 user in <c>$external</c> named by its certificate subject (<see cref="X509"/>). When
/// <see cref="InMemoryMongoServerOptions.Users"/> holds any user, the server requires authentication.
/// </summary>
public sealed class InMemoryMongoUser
{
    /// <summary>The mechanism name of X.509 certificate users.</summary>
    public const string X509Mechanism = "MONGODB-X509";

    /// <summary>Creates a SCRAM user.</summary>
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

    /// <summary>The mechanisms this user may use; SCRAM-SHA-1 and SCRAM-SHA-256 by default, MONGODB-X509 for <see cref="X509"/> users.</summary>
    public IList<string> Mechanisms { get; } = ["SCRAM-SHA-1", "SCRAM-SHA-256"];

    /// <summary>
    /// A MONGODB-X509 user: <paramref name="subject"/> is the client certificate's subject in RFC 2253 form, as
    /// MongoDB writes it (most specific first, no spaces after commas), e.g. <c>CN=client,OU=Drivers,O=MongoDB,C=US</c>.
    /// </summary>
    public static InMemoryMongoUser X509(string subject)
    {
        var user = new InMemoryMongoUser(subject, string.Empty, "$external");
        user.Mechanisms.Clear();
        user.Mechanisms.Add(X509Mechanism);
        return user;
    }

    /// <summary>Describes the user without its password.</summary>
    public override string ToString() => Database + "." + UserName;
}
