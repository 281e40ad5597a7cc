using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Mongo.Bson;

namespace Mongo.Driver.Operations;

/// <summary>
/// <see cref="BulkWriteResult.InsertedIds"/>, built on first use: the inserts below a limit (where an ordered write
/// stopped) that had no write error, by request index. InsertMany and most bulk writes never look at it, so the
/// dictionary (about 50 bytes per document) is only paid for by callers who do.
/// </summary>
internal sealed class InsertedIdMap : IReadOnlyDictionary<int, BsonValue>
{
    private readonly WriteRequestList _requests;
    private readonly int _limit;
    private readonly IReadOnlyList<WriteError> _errors;
    private Dictionary<int, BsonValue>? _map;

    /// <param name="requests">The operation's requests; only <see cref="WriteRequestList.InsertedIdAt"/> is used (valid after the operation).</param>
    /// <param name="limit">Requests from this index on were not sent (ordered write stopped), or the request count.</param>
    /// <param name="errors">Write errors, by request index; their inserts did not happen.</param>
    public InsertedIdMap(WriteRequestList requests, int limit, IReadOnlyList<WriteError> errors)
    {
        _requests = requests;
        _limit = Math.Min(limit, requests.Count);
        _errors = errors;
    }

    public int Count => Map.Count;

    public IEnumerable<int> Keys => Map.Keys;

    public IEnumerable<BsonValue> Values => Map.Values;

    public BsonValue this[int key] => Map[key];

    public bool ContainsKey(int key) => Map.ContainsKey(key);

    public bool TryGetValue(int key, [MaybeNullWhen(false)] out BsonValue value) => Map.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<int, BsonValue>> GetEnumerator() => Map.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Dictionary<int, BsonValue> Map
    {
        get
        {
            var map = Volatile.Read(ref _map);
            if (map is null)
            {
                map = Build();
                map = Interlocked.CompareExchange(ref _map, map, null) ?? map;
            }

            return map;
        }
    }

    private Dictionary<int, BsonValue> Build()
    {
        HashSet<int>? failed = null;
        if (_errors.Count > 0)
        {
            failed = new HashSet<int>(_errors.Count);
            for (int i = 0; i < _errors.Count; i++)
            {
                failed.Add(_errors[i].Index);
            }
        }

        var map = new Dictionary<int, BsonValue>();
        for (int i = 0; i < _limit; i++)
        {
            if (_requests.InsertedIdAt(i) is { } id && (failed is null || !failed.Contains(i)))
            {
                map.Add(i, id);
            }
        }

        return map;
    }
}
