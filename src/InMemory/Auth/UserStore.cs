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

    // Roles given to createUser, reported by usersInfo (never enforced); configured users have none recorded.
    private readonly ConcurrentDictionary<(string Database, string User), Mongo.Bson.BsonArray> _roles = new();
    private readonly ConcurrentDictionary<(string Database, string User), Mongo.Bson.BsonDocument> _customData = new();

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
    /// <exception cref="ArgumentException">SASLprep refuses the user's password for SCRAM-SHA-256.</exception>
    public bool Add(InMemoryMongoUser user)
    {
        // The secrets first: a password SASLprep refuses must leave no half-added user behind.
        var derived = new List<(string Mechanism, ScramCredentials Credentials)>();
        foreach (string mechanism in user.Mechanisms)
        {
            if (mechanism != InMemoryMongoUser.X509Mechanism)
            {
                derived.Add((mechanism, ScramCredentials.Derive(user, mechanism)));
            }
        }

        if (!_users.TryAdd((user.Database, user.UserName), user))
        {
            return false;
        }

        foreach (var (mechanism, credentials) in derived)
        {
            _credentials[(user.Database, user.UserName, mechanism)] = credentials;
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

        _roles.TryRemove((database, user), out _);
        _customData.TryRemove((database, user), out _);
        foreach (string mechanism in removed.Mechanisms)
        {
            _credentials.TryRemove((database, user, mechanism), out _);
        }

        return true;
    }

    /// <summary>
    /// Replaces a user's secrets (updateUser with a new password, or fewer mechanisms); false when there is no such user.
    /// </summary>
    /// <exception cref="ArgumentException">SASLprep refuses the user's password for SCRAM-SHA-256.</exception>
    public bool Replace(InMemoryMongoUser user)
    {
        var derived = new List<(string Mechanism, ScramCredentials Credentials)>();
        foreach (string mechanism in user.Mechanisms)
        {
            if (mechanism != InMemoryMongoUser.X509Mechanism)
            {
                derived.Add((mechanism, ScramCredentials.Derive(user, mechanism)));
            }
        }

        var key = (user.Database, user.UserName);
        if (!_users.TryGetValue(key, out InMemoryMongoUser? old) || !_users.TryUpdate(key, user, old))
        {
            return false;
        }

        foreach (string mechanism in old.Mechanisms)
        {
            _credentials.TryRemove((user.Database, user.UserName, mechanism), out _);
        }

        foreach (var (mechanism, credentials) in derived)
        {
            _credentials[(user.Database, user.UserName, mechanism)] = credentials;
        }

        return true;
    }

    /// <summary>Removes every user of <paramref name="database"/>; returns how many there were.</summary>
    public int RemoveAll(string database)
    {
        int removed = 0;
        foreach (var (db, user) in _users.Keys)
        {
            if (db == database && Remove(db, user))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Records a user's customData (reported by usersInfo).</summary>
    public void SetCustomData(string database, string user, Mongo.Bson.BsonDocument customData) => _customData[(database, user)] = customData;

    /// <summary>The customData given to createUser or updateUser; null when none was.</summary>
    public Mongo.Bson.BsonDocument? CustomDataOf(string database, string user) =>
        _customData.TryGetValue((database, user), out Mongo.Bson.BsonDocument? data) ? data : null;

    /// <summary>Every user, in no particular order.</summary>
    public IEnumerable<InMemoryMongoUser> AllUsers => _users.Values;

    /// <summary>Records the roles createUser was given for a user (reported by usersInfo, not enforced).</summary>
    public void SetRoles(string database, string user, Mongo.Bson.BsonArray roles) => _roles[(database, user)] = roles;

    /// <summary>The roles recorded for a user; null for a configured user (who may run everything).</summary>
    public Mongo.Bson.BsonArray? RolesOf(string database, string user) =>
        _roles.TryGetValue((database, user), out Mongo.Bson.BsonArray? roles) ? roles : null;

    public ScramCredentials? Find(string database, string user, string mechanism) =>
        _credentials.TryGetValue((database, user, mechanism), out ScramCredentials? credentials) ? credentials : null;

    public InMemoryMongoUser? FindUser(string database, string user) =>
        _users.TryGetValue((database, user), out InMemoryMongoUser? found) ? found : null;
}
