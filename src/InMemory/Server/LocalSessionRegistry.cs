using System.Collections.Concurrent;
using Mongo.Bson;

namespace Mongo.InMemory.Server;

/// <summary>
/// The sessions this server has seen (by lsid), for $listLocalSessions; endSessions removes them. Like mongod's
/// in-memory session cache it keeps only the id and the last use, and never persists anything.
/// </summary>
internal sealed class LocalSessionRegistry
{
    // mongod's uid is the SHA-256 of the authenticated user name; without auth that is the digest of the empty string.
    private static readonly BsonBinaryData s_anonymousUid =
        new(System.Security.Cryptography.SHA256.HashData(ReadOnlySpan<byte>.Empty), BsonBinarySubType.Binary);

    private readonly ConcurrentDictionary<string, (BsonBinaryData Id, DateTime LastUse)> _sessions = new(StringComparer.Ordinal);

    /// <summary>Records the command's session (a top-level <c>lsid: { id: UUID }</c>), if it has one.</summary>
    public void Touch(BsonDocument command)
    {
        if (command.TryGetValue("lsid", out BsonValue? lsid) && lsid is BsonDocument document
            && document.TryGetValue("id", out BsonValue? id) && id is BsonBinaryData binary)
        {
            _sessions[Key(binary)] = (binary, DateTime.UtcNow);
        }
    }

    /// <summary>Forgets the sessions an endSessions command names.</summary>
    public void End(BsonDocument command)
    {
        if (command.TryGetValue("endSessions", out BsonValue? ids) && ids is BsonArray array)
        {
            foreach (BsonValue value in array)
            {
                if (value is BsonDocument document && document.TryGetValue("id", out BsonValue? id) && id is BsonBinaryData binary)
                {
                    _sessions.TryRemove(Key(binary), out _);
                }
            }
        }
    }

    /// <summary>The $listLocalSessions documents: <c>{ _id: { id, uid }, lastUse }</c>, most recently used first.</summary>
    public List<BsonDocument> List()
    {
        var list = new List<(DateTime LastUse, BsonDocument Document)>();
        foreach ((BsonBinaryData id, DateTime lastUse) in _sessions.Values)
        {
            var document = new BsonDocument
            {
                { "_id", new BsonDocument { { "id", id }, { "uid", s_anonymousUid } } },
                { "lastUse", new BsonDateTime(lastUse) },
            };
            list.Add((lastUse, document));
        }

        list.Sort((a, b) => b.LastUse.CompareTo(a.LastUse));
        return list.ConvertAll(x => x.Document);
    }

    private static string Key(BsonBinaryData id) => Convert.ToHexString(id.Bytes);
}
