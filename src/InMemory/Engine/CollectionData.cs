using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Planning;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine;

/// <summary>A collection: documents in natural (insertion) order plus its indexes. Callers hold <see cref="Storage.Sync"/>.</summary>
internal sealed partial class CollectionData
{
    public const int MaxDocumentSize = 16 * 1024 * 1024;

    // Never changed while another collection may hold the same list (see OwnDocuments).
    private List<BsonDocument> _documents = [];

    // True while a snapshot's copy (or the collection this one was copied from) may hold the same list: the list is
    // then copied before it is changed, so a snapshot costs nothing until one side writes.
    private bool _documentsShared;
    private readonly List<IndexData> _indexes = [];

    public CollectionData(DatabaseData database, string name, BsonDocument options)
    {
        Database = database;
        Name = name;
        Options = options;
        // Capped limits are fixed at create (already checked by NormalizeCappedOptions); read once, not per insert.
        IsCapped = options.GetValueOrDefault("capped") is { } capped && capped.ToBoolean();
        CappedMaxSize = IsCapped ? options["size"].ToInt64() : 0;
        CappedMaxDocuments = IsCapped && options.GetValueOrDefault("max") is { } max && max.ToInt64() > 0 ? max.ToInt64() : 0;
        // The collection's default collation (create's "collation", stored fully defaulted) is also the _id index's.
        if (options.TryGetValue("collation", out var collation)) DefaultCollator = Collator.Parse(collation);
        var idSpec = new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } };
        if (DefaultCollator is not null) idSpec.Add("collation", DefaultCollator.Spec.DeepClone());
        _indexes.Add(new IndexData(idSpec));
    }

    public DatabaseData Database { get; set; }

    public string Name { get; set; }

    public string FullName => Database.Name + "." + Name;

    public BsonDocument Options { get; }

    /// <summary>The collation operations use when they name none (null: simple).</summary>
    public Collator? DefaultCollator { get; }

    public Guid Uuid { get; } = Guid.NewGuid();

    public IReadOnlyList<BsonDocument> Documents => _documents;

    /// <summary>
    /// A collection built aside (the staging copy of $out) rather than one of its storage's: its writes are nobody's
    /// business until they are copied into the real target, so the storage's observer is not told of them.
    /// </summary>
    public bool IsStaging { get; init; }

    /// <summary>The observer of the storage this collection belongs to (none for a staging collection).</summary>
    private IWriteObserver? Observer => IsStaging ? null : Database.Storage.Observer;

    /// <summary>The snapshot history every change is recorded in (only the live storage of a replica set or router has one).</summary>
    private Server.SnapshotHistory? History => IsStaging ? null : Database.Storage.History;

    /// <summary>
    /// Tells the storage's observer that <paramref name="documents"/> are about to be changed by one statement, before
    /// the first of them is: an observer that must wait for a transaction waits here, where the statement has changed
    /// nothing yet and can be run again.
    /// </summary>
    public void BeforeWriteMany(IReadOnlyList<BsonDocument> documents)
    {
        if (documents.Count > 1) Observer?.BeforeWriteMany(this, documents);
    }

    public IReadOnlyList<IndexData> Indexes => _indexes;

    public IndexData IdIndex => _indexes[0];

    public int Count => _documents.Count;

    /// <summary>
    /// The query planner's plan for a query on this collection (expired TTL documents are removed first): an _id lookup,
    /// a secondary index scan or a collection scan. Run it for the candidates, a superset of the matches.
    /// </summary>
    public QueryPlan PlanQuery(Filter filter, BsonDocument? rawFilter, Collator? collator = null, BsonDocument? sort = null, BsonValue? hint = null)
    {
        SweepTtl();
        var plan = QueryPlanner.Plan(this, filter, rawFilter, collator, sort, hint);
        if (plan.Path == AccessPath.CollectionScan && Database.Storage.NoTableScan && !IsInternal())
            throw new Commands.CommandException(291, "NoQueryExecutionPlans", "error processing query: ns=" + FullName + " planner returned error :: caused by :: No indexed plans available, and running with 'notablescan'");
        return plan;
    }

    /// <summary>Documents that may match <paramref name="rawFilter"/> (parsed here), through the plan the planner chooses.</summary>
    public IEnumerable<BsonDocument> Candidates(BsonDocument? rawFilter, Collator? collator = null) =>
        Candidates(FilterParser.Parse(rawFilter, null, collator), rawFilter, collator);

    /// <summary>Documents that may match <paramref name="filter"/>, through the plan the planner chooses.</summary>
    public IEnumerable<BsonDocument> Candidates(Filter filter, BsonDocument? rawFilter, Collator? collator = null, BsonValue? hint = null) =>
        PlanQuery(filter, rawFilter, collator, null, hint).Run(this);

    private long _lastSweep;

    /// <summary>
    /// Removes documents whose TTL index date has expired. The server's TTL monitor runs in the background every
    /// 60 seconds; here expiry happens lazily (at most once a second) when the collection is read or written.
    /// </summary>
    public void SweepTtl()
    {
        // A replica's copy changes only by replication (TTL deletes happen on the primary); a transaction's snapshot never sweeps.
        if (IsReplicaCopy || Database.Storage.IsSnapshot || !Database.Storage.TtlMonitorEnabled) return;
        var tick = Environment.TickCount64;
        if (_lastSweep != 0 && tick - _lastSweep < 1000) return;
        _lastSweep = tick;
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var index in _indexes.ToArray())
        {
            if (!index.Spec.TryGetValue("expireAfterSeconds", out var ttl) || !ttl.IsNumeric || index.Key.ElementCount != 1) continue;
            var cutoff = nowMs - (long)(ttl.ToDouble() * 1000);
            var parts = index.Key.GetElement(0).Name.Split('.');
            var expired = new List<BsonDocument>();
            var values = new List<BsonValue?>();
            foreach (var doc in _documents)
            {
                if (index.Partial is not null && !index.Partial.Matches(doc)) continue;
                values.Clear();
                FieldPath.Collect(doc, parts, 0, values, expandLeafArrays: true);
                long? earliest = null;
                foreach (var v in values)
                    if (v is BsonDateTime dt && (earliest is null || dt.MillisecondsSinceEpoch < earliest)) earliest = dt.MillisecondsSinceEpoch;
                if (earliest is not null && earliest < cutoff) expired.Add(doc);
            }
            var observer = Observer;
            foreach (var doc in expired)
            {
                // A document a transaction has written waits for its outcome; a later sweep sees it again.
                if (observer is null || observer.MayExpire(this, doc)) Delete(doc);
            }
        }
    }

    public IEnumerable<BsonDocument> Find(Filter filter, BsonDocument? rawFilter, Collator? collator = null)
    {
        foreach (var d in Candidates(filter, rawFilter, collator))
        {
            Commands.OperationDeadline.Check();
            if (filter.Matches(d)) yield return d;
        }
    }

    /// <summary>Prepares a client document for storage: deep copy, _id first (generated when absent), size and _id checks.</summary>
    public static BsonDocument PrepareForInsert(BsonDocument source) => PrepareOwnedForInsert((BsonDocument)source.DeepClone());

    /// <summary>
    /// As <see cref="PrepareForInsert"/> for a document nothing else holds, such as one decoded from the request being
    /// run: it becomes the stored document itself (changed in place: _id moved or added first) instead of a copy.
    /// </summary>
    /// <param name="doc">The document.</param>
    /// <param name="receivedIn">
    /// The length of the message the document was decoded from, or 0: when even that plus a generated _id is within
    /// the limit, the document's size need not be computed.
    /// </param>
    /// <param name="clock">
    /// The cluster clock for an insert command's documents, whose top-level <c>Timestamp(0, 0)</c> values the server
    /// fills in; null where mongod stores the document as given.
    /// </param>
    public static BsonDocument PrepareOwnedForInsert(BsonDocument doc, int receivedIn = 0, Func<BsonTimestamp>? clock = null)
    {
        if (clock is not null) StorageValidation.FillEmptyTimestamps(doc, clock);
        var idIndex = IndexOfId(doc);
        if (idIndex < 0) doc.InsertAt(0, new BsonElement("_id", new BsonObjectId(ObjectId.GenerateNewId())));
        else if (idIndex > 0)
        {
            var id = doc[idIndex];
            doc.RemoveAt(idIndex);
            doc.InsertAt(0, new BsonElement("_id", id));
        }
        ValidateForStorage(doc, checkSize: receivedIn <= 0 || receivedIn > MaxDocumentSize - GeneratedIdSize);
        return doc;
    }

    // A generated _id element: type byte, "_id" and its NUL, 12 bytes of ObjectId.
    private const int GeneratedIdSize = 1 + 4 + 12;

    /// <summary>
    /// The position of the first _id element, or -1. Clients put _id first, and Mongo.Bson answers a lookup of a
    /// leading name from a decoded document's bytes, so a large inserted document is not materialised for this.
    /// </summary>
    private static int IndexOfId(BsonDocument doc) => doc.IndexOfName("_id");

    /// <summary>The checks of an updated (or merged) document before it replaces the stored one.</summary>
    public static void ValidateForStorage(BsonDocument doc)
    {
        ValidateId(doc);
        var size = Wire.BsonCodec.SizeOf(doc);
        if (size > MaxDocumentSize)
            throw Errors.BsonObjectTooLarge("Resulting document after update is larger than " + MaxDocumentSize);
        StorageValidation.CheckUpdateDepth(doc);
    }

    private static void ValidateForStorage(BsonDocument doc, bool checkSize)
    {
        ValidateId(doc);
        if (checkSize)
        {
            // mongod 8.0's insert answers BadValue here (its update answers BSONObjectTooLarge).
            var size = Wire.BsonCodec.SizeOf(doc);
            if (size > MaxDocumentSize)
                throw Errors.BadValue("object to insert too large. size in bytes: " + size + ", max size: " + MaxDocumentSize);
        }
        StorageValidation.CheckInsertDepth(doc);
    }

    private static void ValidateId(BsonDocument doc)
    {
        if (IndexData.TopLevelValue(doc, "_id") is { } id)
        {
            switch (id.BsonType)
            {
                case BsonType.Array: throw Errors.InvalidIdField("The '_id' value cannot be of type array");
                case BsonType.RegularExpression: throw Errors.InvalidIdField("can't use a regex for _id");
                case BsonType.Undefined: throw Errors.InvalidIdField("can't use a undefined for _id");
                case BsonType.Document:
                    foreach (var (n, _) in (BsonDocument)id)
                        if (n.StartsWith('$') && !FilterParser.IsDbRefField(n))
                            throw Errors.DollarPrefixedFieldName("_id fields may not contain '$'-prefixed fields: " + n + " is not valid for storage.");
                    break;
            }
        }
    }

    private Filter? _validator;
    private BsonValue? _validatorSource;

    /// <summary>
    /// Enforces the collection's validator (validationLevel strict/moderate, validationAction error) like the server:
    /// DocumentValidationFailure (121) with errInfo.failingDocumentId. <paramref name="before"/> is the pre-image of an
    /// update (moderate level skips documents that were already invalid).
    /// </summary>
    public void CheckValidator(BsonDocument doc, BsonDocument? before = null)
    {
        if (!Options.TryGetValue("validator", out var v) || v is not BsonDocument vd || vd.ElementCount == 0) return;
        var level = Options.GetValueOrDefault("validationLevel") is BsonString l ? l.Value : "strict";
        var action = Options.GetValueOrDefault("validationAction") is BsonString a ? a.Value : "error";
        if (level == "off" || action == "warn") return;
        if (!ReferenceEquals(_validatorSource, v))
        {
            _validator = FilterParser.Parse(vd, null, DefaultCollator);
            _validatorSource = v;
        }
        if (level == "moderate" && before is not null && !_validator!.Matches(before)) return;
        if (_validator!.Matches(doc)) return;
        var details = Query.JsonSchema.ValidationErrorDetails.Build(vd, doc, DefaultCollator);
        var errInfo = new BsonDocument { { "failingDocumentId", doc.GetValueOrDefault("_id") ?? BsonNull.Value }, { "details", details } };
        throw new Commands.CommandException(121, "DocumentValidationFailure", "Document failed validation", new BsonDocument("errInfo", errInfo));
    }

    /// <summary>Makes room for <paramref name="count"/> more documents at once (a batch insert), in the list and the unique indexes.</summary>
    public void Reserve(int count)
    {
        OwnDocuments().EnsureCapacity(_documents.Count + count);
        foreach (var index in _indexes) index.Reserve(count);
    }

    public void Insert(BsonDocument doc)
    {
        Observer?.BeforeInsert(this, doc);
        // Every index is checked before any is changed, so a duplicate key leaves the collection as it was. With only
        // the _id index (the usual case) the keys need no array.
        if (_indexes.Count == 1)
        {
            var idKeys = _indexes[0].KeysOf(doc);
            _indexes[0].CheckUnique(idKeys, null, FullName);
            _indexes[0].Add(idKeys, doc);
            OwnDocuments().Add(doc);
            _changeCount++;
            History?.Inserted(this, _documents.Count - 1, doc);
            if (IsCapped) AfterCappedInsert(doc);
            return;
        }
        var keys = new IndexKeys[_indexes.Count];
        for (var i = 0; i < _indexes.Count; i++)
        {
            keys[i] = _indexes[i].KeysOf(doc);
            _indexes[i].CheckUnique(keys[i], null, FullName);
        }
        for (var i = 0; i < _indexes.Count; i++) _indexes[i].Add(keys[i], doc);
        OwnDocuments().Add(doc);
        _changeCount++;
        History?.Inserted(this, _documents.Count - 1, doc);
        if (IsCapped) AfterCappedInsert(doc);
    }

    /// <summary>Replaces a stored document in place (natural order kept), enforcing unique indexes first.</summary>
    public void Replace(BsonDocument oldDoc, BsonDocument newDoc)
    {
        Observer?.BeforeReplace(this, oldDoc, newDoc);
        var newKeys = new IndexKeys[_indexes.Count];
        for (var i = 0; i < _indexes.Count; i++)
        {
            newKeys[i] = _indexes[i].KeysOf(newDoc);
            _indexes[i].CheckUnique(newKeys[i], oldDoc, FullName);
        }
        for (var i = 0; i < _indexes.Count; i++) _indexes[i].Replace(_indexes[i].KeysOf(oldDoc), oldDoc, newKeys[i], newDoc);
        var pos = IndexOfDocument(oldDoc);
        OwnDocuments()[pos] = newDoc;
        _changeCount++;
        History?.Replaced(this, pos, oldDoc, newDoc);
        CappedSizeChanged(oldDoc, newDoc);
    }

    public void Delete(BsonDocument doc)
    {
        Observer?.BeforeDelete(this, doc);
        foreach (var index in _indexes) index.Remove(index.KeysOf(doc), doc);
        var pos = IndexOfDocument(doc);
        OwnDocuments().RemoveAt(pos);
        _changeCount++;
        History?.Deleted(this, pos, doc);
        CappedSizeChanged(doc, null);
    }

    public void Truncate()
    {
        History?.CatalogChanging(Database.Storage, DataSize());
        _documents = [];
        _documentsShared = false;
        _changeCount++;
        _cappedBytes = 0;
        _evictedThrough = _lastSequence;
        _sequence.Clear();
        foreach (var index in _indexes) index.Clear();
    }

    /// <summary>The document list, copied first if another collection may hold it too: call before changing it.</summary>
    private List<BsonDocument> OwnDocuments()
    {
        if (_documentsShared)
        {
            _documents = new List<BsonDocument>(_documents);
            _documentsShared = false;
        }

        return _documents;
    }

    private int IndexOfDocument(BsonDocument doc)
    {
        for (var i = 0; i < _documents.Count; i++)
            if (ReferenceEquals(_documents[i], doc)) return i;
        throw new InvalidOperationException("document not in collection");
    }

    public IndexData? FindIndexByName(string name) => _indexes.Find(i => i.Name == name);

    public IndexData? FindIndexByKey(BsonDocument key) => _indexes.Find(i => KeysEqual(i.Key, key));

    public static bool KeysEqual(BsonDocument a, BsonDocument b)
    {
        if (a.ElementCount != b.ElementCount) return false;
        for (var i = 0; i < a.ElementCount; i++)
        {
            var x = a.GetElement(i); var y = b.GetElement(i);
            if (x.Name != y.Name || BsonOrder.Compare(x.Value, y.Value) != 0) return false;
        }
        return true;
    }

    /// <summary>Adds an index, building it over the existing documents (E11000 if a unique build finds duplicates).</summary>
    public void AddIndex(IndexData index)
    {
        Observer?.BeforeCreateIndex(this);
        History?.CatalogChanging(Database.Storage);
        foreach (var doc in _documents)
        {
            var keys = index.KeysOf(doc);
            try
            {
                index.CheckUnique(keys, doc, FullName);
            }
            catch
            {
                index.Clear();
                throw;
            }
            index.Add(keys, doc);
        }
        _indexes.Add(index);
        _changeCount++;
    }

    public bool DropIndex(IndexData index)
    {
        History?.CatalogChanging(Database.Storage);
        _changeCount++;
        return _indexes.Remove(index);
    }

    public long DataSize()
    {
        long total = 0;
        foreach (var d in _documents) total += Wire.BsonCodec.SizeOf(d);
        return total;
    }
}
