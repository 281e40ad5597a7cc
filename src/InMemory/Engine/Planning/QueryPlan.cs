using Mongo.Bson;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>How a query reaches its candidate documents.</summary>
internal enum AccessPath
{
    /// <summary>Every document in natural order.</summary>
    CollectionScan,

    /// <summary>The _id index's key map, for an _id equality.</summary>
    IdLookup,

    /// <summary>A $text search: the documents the text index's term map holds under the query's terms (or, for a $text
    /// under $or, every document), each then scored and matched by the filter.</summary>
    TextScan,

    /// <summary>A $near search: the documents with a location, nearest first, read from the geo index's cells in
    /// widening rings (see QueryPlan.Geo.cs).</summary>
    NearScan,

    /// <summary>A $geoWithin/$geoIntersects: the documents the geo index files in the cells covering the query's region.</summary>
    GeoScan,

    /// <summary>A range scan of a secondary index's ordered keys (or, hinted, the _id index in key order).</summary>
    IndexScan,

    /// <summary>An $or: each branch's own plan (an index scan or _id lookup), their documents merged without duplicates.</summary>
    Or,
}

/// <summary>
/// The plan the <see cref="QueryPlanner"/> chose for one query: which documents are candidates and in which order.
/// Running it yields the candidates (a superset of the matches: the caller still applies the whole filter) and counts
/// the keys and documents it examined, which explain reports.
/// </summary>
internal sealed partial class QueryPlan
{
    public required AccessPath Path { get; init; }

    /// <summary>The index scanned or looked up (null for a collection scan).</summary>
    public IndexData? Index { get; init; }

    /// <summary>Per index field: the intervals of values scanned, ascending and disjoint (empty: nothing can match).</summary>
    public Interval[][]? Bounds { get; init; }

    /// <summary>Whether the index is scanned from its end (a sort in the opposite direction of the key pattern).</summary>
    public bool Backward { get; init; }

    /// <summary>Whether the candidates come out in the order the query's sort asks for, so no sort is needed.</summary>
    public bool ProvidesSort { get; init; }

    /// <summary>
    /// The key pattern explain shows for the scan when it is not the index's own: a wildcard index's
    /// <c>{$_path: 1, field: 1}</c> (null: the index's key).
    /// </summary>
    public BsonDocument? ScanKeyPattern { get; init; }

    /// <summary>Whether the path a wildcard scan reads ever held an array (explain's isMultiKey for that path).</summary>
    public bool ScanMultiKey { get; init; }

    /// <summary>The _id value an <see cref="AccessPath.IdLookup"/> looks up.</summary>
    public BsonValue? IdValue { get; init; }

    /// <summary>The filter's top-level paths the bounds answer (the rest is applied to each fetched document).</summary>
    public IReadOnlyList<string> BoundPaths { get; init; } = [];

    /// <summary>An <see cref="AccessPath.Or"/>'s plan per branch, in the $or's order.</summary>
    public IReadOnlyList<QueryPlan>? Branches { get; init; }

    /// <summary>Whether an <see cref="AccessPath.Or"/> is the whole filter (mongod plans it branch by branch: SUBPLAN).</summary>
    public bool Rooted { get; init; }

    /// <summary>A branch plan's own filter as sent (explain shows what its bounds leave to a FETCH filter).</summary>
    public BsonDocument? RawFilter { get; set; }

    private long _keysExamined;

    /// <summary>Index keys read; an $or's are its branches'.</summary>
    public long KeysExamined => Branches is { } branches ? branches.Sum(b => b.KeysExamined) : _keysExamined;

    public long DocsExamined { get; private set; }

    /// <summary>
    /// Whether the query's filter and projection need nothing but this index scan's keys (set by explain, which then
    /// shows no FETCH): the documents are still produced to apply the projection, but none counts as examined.
    /// </summary>
    public bool Covered { get; set; }

    /// <summary>Keys of a multikey index that led to a document already produced.</summary>
    public long DupsDropped { get; private set; }

    public long DupsTested { get; private set; }

    /// <summary>The number of ranges of keys the scan positioned itself at.</summary>
    public long Seeks { get; private set; }

    /// <summary>The candidates, counting what is examined as they are produced.</summary>
    public IEnumerable<BsonDocument> Run(CollectionData collection)
    {
        // $indexStats counts one access per query an index answers.
        (Path == AccessPath.IdLookup ? collection.IdIndex : Index)?.Usage.Record();
        foreach (var branch in Branches ?? []) (branch.Path == AccessPath.IdLookup ? collection.IdIndex : branch.Index)?.Usage.Record();
        return RunPath(collection);
    }

    private IEnumerable<BsonDocument> RunPath(CollectionData collection) => Path switch
    {
        AccessPath.IdLookup => RunIdLookup(collection),
        AccessPath.TextScan when TextTerms is null => RunCollectionScan(collection),
        AccessPath.TextScan => RunTextScan(),
        AccessPath.NearScan => RunNearScan(collection),
        AccessPath.GeoScan => RunGeoScan(),
        AccessPath.IndexScan when Index!.Ordered is null && Index.SpecialKeys is null => RunIdScan(collection),
        AccessPath.IndexScan => RunIndexScan(),
        AccessPath.Or => RunOr(collection),
        _ => RunCollectionScan(collection),
    };

    // mongod's OR stage: each branch's documents in turn, a document met before dropped (it is fetched once).
    private IEnumerable<BsonDocument> RunOr(CollectionData collection)
    {
        var seen = new HashSet<BsonDocument>(ReferenceEqualityComparer.Instance);
        foreach (var branch in Branches!)
        {
            foreach (var doc in branch.RunPath(collection))
            {
                DupsTested++;
                if (!seen.Add(doc))
                {
                    DupsDropped++;
                    continue;
                }

                DocsExamined++;
                yield return doc;
            }
        }
    }

    /// <summary>The terms a <see cref="AccessPath.TextScan"/> looks up in the text index (null: it scans the collection).</summary>
    public IReadOnlyList<string>? TextTerms { get; init; }

    /// <summary>Per term of <see cref="TextTerms"/>: the keys read (explain's IXSCAN per term).</summary>
    public long[]? TermKeysExamined { get; private set; }

    // mongod's text plan: one index scan per term, merged without duplicates, each document fetched once.
    private IEnumerable<BsonDocument> RunTextScan()
    {
        var terms = Index!.TextTerms!;
        var seen = new HashSet<BsonDocument>(ReferenceEqualityComparer.Instance);
        TermKeysExamined = new long[TextTerms!.Count];
        for (var i = 0; i < TextTerms.Count; i++)
        {
            Seeks++;
            BsonValue?[] key = [new BsonString(TextTerms[i])];
            foreach (var (_, doc) in terms.Scan(key, key, backward: false))
            {
                _keysExamined++;
                TermKeysExamined[i]++;
                DupsTested++;
                if (!seen.Add(doc))
                {
                    DupsDropped++;
                    continue;
                }

                DocsExamined++;
                yield return doc;
            }
        }
    }

    private IEnumerable<BsonDocument> RunCollectionScan(CollectionData collection)
    {
        foreach (var doc in collection.Documents)
        {
            DocsExamined++;
            yield return doc;
        }
    }

    private IEnumerable<BsonDocument> RunIdLookup(CollectionData collection)
    {
        var hits = collection.IdIndex.Lookup(IdValue!) ?? [];
        // Preserve natural order when several documents share an equal-comparing _id (cannot happen; defensive).
        var ordered = hits.Count <= 1 ? hits : collection.Documents.Where(d => hits.Contains(d)).ToArray();
        foreach (var doc in ordered)
        {
            _keysExamined++;
            DocsExamined++;
            yield return doc;
        }
    }

    // The _id index keeps a key map, not an ordered structure: a hinted scan of it orders the documents by _id here.
    private IEnumerable<BsonDocument> RunIdScan(CollectionData collection)
    {
        var collator = Index!.Collator;
        var docs = collection.Documents.ToArray();
        var ids = Array.ConvertAll(docs, d => IndexData.TopLevelValue(d, "_id"));
        var order = Enumerable.Range(0, docs.Length).ToArray();
        Array.Sort(order, (x, y) =>
        {
            var c = BsonOrder.Compare(ids[x], ids[y], collator);
            return c != 0 ? c : x.CompareTo(y);
        });
        if (Backward) Array.Reverse(order);
        Seeks = 1;
        foreach (var i in order)
        {
            _keysExamined++;
            if (!Bounds![0].Any(b => b.Contains(ids[i], collator))) continue;
            DocsExamined++;
            yield return docs[i];
        }
    }

    private IEnumerable<BsonDocument> RunIndexScan()
    {
        var index = Index!;
        var ordered = index.Ordered ?? index.SpecialKeys!;
        var seen = index.IsMultiKey ? new HashSet<BsonDocument>(ReferenceEqualityComparer.Instance) : null;
        var ranges = Ranges(index);
        if (Backward) ranges.Reverse();
        // One interval in all: mongod positions its cursor past an excluded start and stops it before an excluded end,
        // so those keys are never read (with several, its bounds checker reads them and seeks on).
        var single = ranges.Count == 1 ? SingleInterval() : null;
        foreach (var (start, end) in ranges)
        {
            Seeks++;
            foreach (var (key, doc) in ordered.Scan(start, end, Backward))
            {
                if (single is { } s && AtExcludedEnd(key[s.Field], s.Interval, index)) continue;
                _keysExamined++;
                if (!KeyInBounds(key, index)) continue;
                if (seen is not null)
                {
                    DupsTested++;
                    if (!seen.Add(doc))
                    {
                        DupsDropped++;
                        continue;
                    }
                }

                if (!Covered) DocsExamined++;
                yield return doc;
            }
        }
    }

    /// <summary>The field and interval bounding a single-range scan (the first field not pinned to one value).</summary>
    private (int Field, Interval Interval)? SingleInterval()
    {
        for (var i = 0; i < Bounds!.Length; i++)
            if (Bounds[i].Length != 1 || !Bounds[i][0].IsPoint(Index!.Collator)) return Bounds[i].Length == 1 ? (i, Bounds[i][0]) : null;
        return null;
    }

    private static bool AtExcludedEnd(BsonValue? value, Interval interval, IndexData index) =>
        !interval.LowInclusive && BsonOrder.Compare(value, interval.Low, index.Collator) == 0 ||
        !interval.HighInclusive && BsonOrder.Compare(value, interval.High, index.Collator) == 0;

    private bool KeyInBounds(BsonValue?[] key, IndexData index)
    {
        for (var i = 0; i < key.Length; i++)
        {
            var ok = false;
            foreach (var interval in Bounds![i])
            {
                if (interval.Contains(key[i], index.Collator))
                {
                    ok = true;
                    break;
                }
            }

            if (!ok) return false;
        }

        return true;
    }

    // The key ranges to scan, in index order: leading fields bounded by points multiply out into exact prefixes (up to a
    // limit), the first other field's intervals give each range its ends, and later fields are checked key by key.
    private List<(BsonValue?[] Start, BsonValue?[] End)> Ranges(IndexData index)
    {
        const int MaxRanges = 4096;
        var n = Bounds!.Length;
        var dirs = index.Directions ?? index.SpecialDirections!;
        var prefixes = new List<BsonValue?[]> { new BsonValue?[n] };
        var ranges = new List<(BsonValue?[], BsonValue?[])>();
        for (var i = 0; i < n; i++)
        {
            var intervals = dirs[i] > 0 ? Bounds[i] : Enumerable.Reverse(Bounds[i]).ToArray();
            if (intervals.Length == 0) return ranges;
            var points = i < n - 1 && intervals.All(iv => iv.IsPoint(index.Collator)) && prefixes.Count * intervals.Length <= MaxRanges;
            if (points)
            {
                var next = new List<BsonValue?[]>(prefixes.Count * intervals.Length);
                foreach (var prefix in prefixes)
                {
                    foreach (var iv in intervals)
                    {
                        var p = (BsonValue?[])prefix.Clone();
                        p[i] = iv.Low;
                        next.Add(p);
                    }
                }

                prefixes = next;
                continue;
            }

            foreach (var prefix in prefixes)
            {
                foreach (var iv in intervals)
                {
                    var start = (BsonValue?[])prefix.Clone();
                    var end = (BsonValue?[])prefix.Clone();
                    start[i] = dirs[i] > 0 ? iv.Low : iv.High;
                    end[i] = dirs[i] > 0 ? iv.High : iv.Low;
                    for (var j = i + 1; j < n; j++)
                    {
                        start[j] = dirs[j] > 0 ? BsonMinKey.Value : BsonMaxKey.Value;
                        end[j] = dirs[j] > 0 ? BsonMaxKey.Value : BsonMinKey.Value;
                    }

                    ranges.Add((start, end));
                }
            }

            break;
        }

        return ranges;
    }
}
