using System.Collections.Concurrent;

namespace Mongo.InMemory.Auth;

/// <summary>
/// The server's users with their SCRAM secrets (derived once per user): those configured in the options and
/// those added by <c>createUser</c>. X.509 users live in <c>$external</c> under their certificate subject and
/// have no secrets. Whether authentication is enforced is decided at start-up (configured users), as a
/// real server's <c>--auth</c> is; users created later can authenticate either way.
/// </summary>
internal sealed class UserStore
{
    public const string ExternalDatabase = "$external";

    private readonly ConcurrentDictionary<(string Database, string User, string Mechanism), ScramCredentials> _credentials = new();
    private readonly ConcurrentDictionary<(string Database, string User), InMemoryMongoUser> _users = new();

    public UserStore(IEnumerable<InMemoryMongoUser> users)
    {
        foreach (InMemoryMongoUser user in users)
        {
            Add(user);
        }

        AuthenticationRequired = !_users.IsEmpty;
    }

    /// <summary>Whether the server requires authentication (users were configured when it started).</summary>
    public bool AuthenticationRequired { get; }

    /// <summary>Adds a user; false when one with that name already exists in that database.</summary>
    public bool Add(InMemoryMongoUser user)
    {
        if (!_users.TryAdd((user.Database, user.UserName), user))
        {
            return false;
        }

        foreach (string mechanism in user.Mechanisms)
        {
            if (mechanism != InMemoryMongoUser.X509Mechanism)
            {
                _credentials[(user.Database, user.UserName, mechanism)] = ScramCredentials.Derive(user, mechanism);
            }
        }

        return true;
    }

    /// <summary>Removes a user; false when there is none.</summary>
    public bool Remove(string database, string user)
    {
        if (!_users.TryRemove((database, user), out InMemoryMongoUser? removed))
        {
            return false;
        }

        foreach (string mechanism in removed.Mechanisms)
        {
            _credentials.TryRemove((database, user, mechanism), out _);
        }

        return true;
    }

    public ScramCredentials? Find(string database, string user, string mechanism) =>
        _credentials.TryGetValue((database, user, mechanism), out ScramCredentials? credentials) ? credentials : null;

    public InMemoryMongoUser? FindUser(string database, string user) =>
        _users.TryGetValue((database, user), out InMemoryMongoUser? found) ? found : null;
}
