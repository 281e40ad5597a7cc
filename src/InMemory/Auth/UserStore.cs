namespace Mongo.InMemory.Auth;

/// <summary>The configured users with their SCRAM secrets, derived once at start-up.</summary>
internal sealed class UserStore
{
    private readonly Dictionary<(string Database, string User, string Mechanism), ScramCredentials> _credentials = [];
    private readonly Dictionary<(string Database, string User), InMemoryMongoUser> _users = [];

    public UserStore(IEnumerable<InMemoryMongoUser> users)
    {
        foreach (InMemoryMongoUser user in users)
        {
            _users[(user.Database, user.UserName)] = user;
            foreach (string mechanism in user.Mechanisms)
            {
                _credentials[(user.Database, user.UserName, mechanism)] = ScramCredentials.Derive(user, mechanism);
            }
        }
    }

    /// <summary>Whether the server requires authentication (it has users).</summary>
    public bool AuthenticationRequired => _users.Count > 0;

    public ScramCredentials? Find(string database, string user, string mechanism) =>
        _credentials.TryGetValue((database, user, mechanism), out ScramCredentials? credentials) ? credentials : null;

    public InMemoryMongoUser? FindUser(string database, string user) =>
        _users.TryGetValue((database, user), out InMemoryMongoUser? found) ? found : null;
}
