using Mongo.Bson;
using Mongo.InMemory.Engine.Expressions;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Pipeline;

internal static partial class AggregationPipeline
{
    private static readonly HashSet<string> Accumulators =
    [
        "$sum", "$avg", "$min", "$max", "$first", "$last", "$push", "$addToSet", "$count", "$mergeObjects", "$stdDevPop", "$stdDevSamp",
    ];

    private sealed class GroupState
    {
        public required BsonValue Id;
        public readonly BsonValue?[] Values;
        public readonly int[] Counts;
        public readonly List<double>?[] Samples;
        public readonly HashSet<string>?[] Seen;

        // The accumulators of the Accumulators registry ($firstN, $topN, $median...), created on the group's first document.
        public readonly Accumulator?[] Extended;

        public GroupState(int n)
        {
            Extended = new Accumulator?[n];
            Values = new BsonValue?[n];
            Counts = new int[n];
            Samples = new List<double>?[n];
            Seen = new HashSet<string>?[n];
        }
    }

    private static List<BsonDocument> Group(BsonValue spec, List<BsonDocument> docs, PipelineContext context)
    {
        if (spec is not BsonDocument gd) throw Errors.Location(15947, "a group's fields must be specified in an object");
        if (!gd.TryGetValue("_id", out var idExpr)) throw Errors.Location(15955, "a group specification must include an _id");
        ExpressionEvaluator.Validate(idExpr);
        var fields = new List<(string Name, string Op, BsonValue Expr)>();
        var factories = new List<AccumulatorFactory?>();
        foreach (var (name, value) in gd)
        {
            if (name == "_id") continue;
            if (name.Contains('.', StringComparison.Ordinal)) throw Errors.Location(40235, "The field name '" + name + "' cannot contain '.'");
            if (name.StartsWith('$')) throw Errors.Location(16410, "FieldPath field names may not start with '$'.");
            if (value is not BsonDocument ad || ad.ElementCount != 1)
                throw Errors.Location(40234, "The field '" + name + "' must be an accumulator object");
            var op = ad.GetElement(0).Name;
            var expr = ad[0];
            if (Expressions.Accumulators.Names.Contains(op))
            {
                factories.Add(Expressions.Accumulators.Parse(op, expr, context.Collator));
                fields.Add((name, op, expr));
                continue;
            }
            if (!Accumulators.Contains(op)) throw Errors.Location(15952, "unknown group operator '" + op + "'");
            if (op == "$count")
            {
                if (expr is not BsonDocument { ElementCount: 0 }) throw Errors.Location(40272, "$count takes no arguments, i.e. $count:{}");
                op = "$sum";
                expr = new BsonInt32(1);
            }
            ExpressionEvaluator.Validate(expr);
            fields.Add((name, op, expr));
            factories.Add(null);
        }
        var groups = new Dictionary<string, GroupState>(StringComparer.Ordinal);
        var order = new List<GroupState>();
        foreach (var doc in docs)
        {
            var scope = new ExprScope(doc, context.Variables, context.Collator);
            var id = ExpressionEvaluator.Evaluate(idExpr, scope) ?? BsonNull.Value;
            var key = BsonOrder.Key(id, context.Collator);
            if (!groups.TryGetValue(key, out var state))
            {
                state = new GroupState(fields.Count) { Id = id };
                groups[key] = state;
                order.Add(state);
            }
            for (var i = 0; i < fields.Count; i++)
            {
                var (_, op, expr) = fields[i];
                if (factories[i] is { } factory)
                {
                    (state.Extended[i] ??= factory.Create(new ExprScope(new BsonDocument("_id", state.Id), context.Variables, context.Collator))).Add(scope);
                    continue;
                }
                var v = ExpressionEvaluator.Evaluate(expr, scope);
                Accumulate(state, i, op, v, context.Collator);
            }
        }
        var result = new List<BsonDocument>(order.Count);
        foreach (var state in order)
        {
            var doc = new BsonDocument("_id", state.Id);
            for (var i = 0; i < fields.Count; i++) doc.Add(fields[i].Name, state.Extended[i]?.Finish() ?? Finish(state, i, fields[i].Op));
            result.Add(doc);
        }
        return result;
    }

    private static void Accumulate(GroupState s, int i, string op, BsonValue? v, Collation.Collator? collator)
    {
        switch (op)
        {
            case "$sum":
                if (v is not null && v.IsNumeric) s.Values[i] = s.Values[i] is null ? v : Num.Add(s.Values[i]!, v);
                break;
            case "$avg":
                if (v is not null && v.IsNumeric)
                {
                    s.Values[i] = s.Values[i] is null ? v : Num.Add(s.Values[i]!, v);
                    s.Counts[i]++;
                }
                break;
            case "$min":
            case "$max":
                if (v is null || v.BsonType is BsonType.Null or BsonType.Undefined) break;
                if (s.Values[i] is null || (op == "$min" ? BsonOrder.Compare(v, s.Values[i], collator) < 0 : BsonOrder.Compare(v, s.Values[i], collator) > 0)) s.Values[i] = v;
                break;
            case "$first":
                if (s.Counts[i]++ == 0) s.Values[i] = v ?? BsonNull.Value;
                break;
            case "$last":
                s.Values[i] = v ?? BsonNull.Value;
                break;
            case "$push":
                s.Values[i] ??= new BsonArray();
                if (v is not null) ((BsonArray)s.Values[i]!).Add(v);
                break;
            case "$addToSet":
                s.Values[i] ??= new BsonArray();
                s.Seen[i] ??= [];
                if (v is not null && s.Seen[i]!.Add(BsonOrder.Key(v, collator))) ((BsonArray)s.Values[i]!).Add(v);
                break;
            case "$mergeObjects":
                s.Values[i] ??= new BsonDocument();
                if (v is BsonDocument md)
                    foreach (var (n, val) in md) ((BsonDocument)s.Values[i]!).Set(n, val);
                else if (v is not null && v.BsonType != BsonType.Null)
                    throw Errors.Location(40400, "$mergeObjects requires object inputs, but input " + Shell.Format(v) + " is of type " + BsonOrder.TypeName(v));
                break;
            case "$stdDevPop":
            case "$stdDevSamp":
                if (v is not null && v.IsNumeric) (s.Samples[i] ??= []).Add(v.ToDouble());
                break;
        }
    }

    private static BsonValue Finish(GroupState s, int i, string op)
    {
        switch (op)
        {
            case "$sum":
                return s.Values[i] ?? new BsonInt32(0);
            case "$avg":
                if (s.Counts[i] == 0) return BsonNull.Value;
                return s.Values[i]!.IsDecimal128 ? Num.Decimal(s.Values[i]!.ToDouble() / s.Counts[i]) : new BsonDouble(s.Values[i]!.ToDouble() / s.Counts[i]);
            case "$push":
            case "$addToSet":
                return s.Values[i] ?? new BsonArray();
            case "$mergeObjects":
                return s.Values[i] ?? new BsonDocument();
            case "$stdDevPop":
            case "$stdDevSamp":
                {
                    var xs = s.Samples[i];
                    var n = xs?.Count ?? 0;
                    if (n == 0 || op == "$stdDevSamp" && n < 2) return BsonNull.Value;
                    var mean = xs!.Average();
                    var ss = xs!.Sum(x => (x - mean) * (x - mean));
                    return new BsonDouble(Math.Sqrt(ss / (op == "$stdDevPop" ? n : n - 1)));
                }
            default:
                return s.Values[i] ?? BsonNull.Value;
        }
    }

    private static List<BsonDocument> Unwind(BsonValue spec, List<BsonDocument> docs)
    {
        string path;
        string? indexField = null;
        var preserve = false;
        if (spec is BsonString s) path = s.Value;
        else if (spec is BsonDocument ud)
        {
            if (!ud.TryGetValue("path", out var p) || p is not BsonString ps) throw Errors.Location(28812, "no path specified to $unwind stage");
            path = ps.Value;
            foreach (var (n, v) in ud)
            {
                switch (n)
                {
                    case "path": break;
                    case "includeArrayIndex":
                        if (v is not BsonString ixs || ixs.Value.Length == 0 || ixs.Value.StartsWith('$'))
                            throw Errors.Location(28810, "expected a non-empty string for the includeArrayIndex option to $unwind stage");
                        indexField = ixs.Value;
                        break;
                    case "preserveNullAndEmptyArrays":
                        if (v is not BsonBoolean pb) throw Errors.Location(28809, "expected a boolean for the preserveNullAndEmptyArrays option to $unwind stage");
                        preserve = pb.Value;
                        break;
                    default:
                        throw Errors.Location(28811, "unrecognized option to $unwind stage: " + n);
                }
            }
        }
        else throw Errors.Location(15981, "expected either a string or an object as specification for $unwind stage, got " + BsonOrder.TypeName(spec));
        if (!path.StartsWith('$') || path.Length < 2) throw Errors.Location(28818, "path option to $unwind stage should be prefixed with a '$': " + path);
        var field = path[1..];
        var result = new List<BsonDocument>();
        foreach (var doc in docs)
        {
            var value = FieldPath.GetStrict(doc, field);
            if (value is BsonArray arr && arr.Count > 0)
            {
                for (var k = 0; k < arr.Count; k++)
                {
                    var copy = (BsonDocument)doc.DeepClone();
                    SetPath(copy, field, arr[k].DeepClone());
                    if (indexField is not null) SetPath(copy, indexField, new BsonInt64(k));
                    result.Add(DocumentMetadata.Carry(doc, copy));
                }
            }
            else if (value is not null && value is not BsonArray && value.BsonType != BsonType.Null)
            {
                var copy = (BsonDocument)doc.DeepClone();
                if (indexField is not null) SetPath(copy, indexField, BsonNull.Value);
                result.Add(DocumentMetadata.Carry(doc, copy));
            }
            else if (preserve)
            {
                var copy = (BsonDocument)doc.DeepClone();
                if (value is BsonArray) RemovePath(copy, field);
                if (indexField is not null) SetPath(copy, indexField, BsonNull.Value);
                result.Add(DocumentMetadata.Carry(doc, copy));
            }
        }
        return result;
    }

    private static List<BsonDocument> Lookup(BsonValue spec, List<BsonDocument> docs, PipelineContext context)
    {
        if (spec is not BsonDocument ld) throw Errors.Location(40319, "the $lookup stage specification must be an object, but found " + BsonOrder.TypeName(spec));
        string? from = null, localField = null, foreignField = null, asField = null;
        BsonArray? pipeline = null;
        BsonDocument? let = null;
        var fromDb = context.Database;
        foreach (var (n, v) in ld)
        {
            switch (n)
            {
                case "from":
                    if (v is BsonString fs) from = fs.Value;
                    else if (v is BsonDocument fd && fd.TryGetValue("coll", out var fc))
                    {
                        from = fc.AsString;
                        if (fd.TryGetValue("db", out var fdb)) fromDb = fdb.AsString;
                    }
                    else throw Errors.FailedToParse("$lookup 'from' field must be a string or an object");
                    break;
                case "localField": localField = v.AsString; break;
                case "foreignField": foreignField = v.AsString; break;
                case "as": asField = v.AsString; break;
                case "pipeline": pipeline = v as BsonArray ?? throw Errors.FailedToParse("$lookup 'pipeline' must be an array"); break;
                case "let": let = v as BsonDocument ?? throw Errors.FailedToParse("$lookup 'let' must be an object"); break;
                default: throw Errors.FailedToParse("unknown argument to $lookup: " + n);
            }
        }
        if (asField is null) throw Errors.FailedToParse("must specify 'as' field for a $lookup");
        if (pipeline is null && (localField is null || foreignField is null))
            throw Errors.FailedToParse("$lookup requires either 'pipeline' or both 'localField' and 'foreignField' to be specified");
        if ((localField is null) != (foreignField is null))
            throw Errors.FailedToParse("$lookup requires both or neither of 'localField' and 'foreignField' to be specified");
        var foreign = ForeignSource.Open(context, fromDb, from);
        var result = new List<BsonDocument>(docs.Count);
        foreach (var doc in docs)
        {
            IEnumerable<BsonDocument> matches = foreign.All;
            if (localField is not null)
            {
                var values = new List<BsonValue?>();
                FieldPath.Collect(doc, localField.Split('.'), 0, values, expandLeafArrays: true);
                var inList = new BsonArray();
                foreach (var v in values) inList.Add(v ?? BsonNull.Value);
                var rawFilter = new BsonDocument(foreignField!, new BsonDocument("$in", inList));
                matches = foreign.Matching(FilterParser.Parse(rawFilter, null, context.Collator), rawFilter, context.Collator);
            }
            List<BsonDocument> joined;
            if (pipeline is not null)
            {
                var vars = new Dictionary<string, BsonValue>(StringComparer.Ordinal);
                if (context.Variables is not null)
                    foreach (var kv in context.Variables) vars[kv.Key] = kv.Value;
                if (let is not null)
                {
                    var scope = new ExprScope(doc, context.Variables, context.Collator);
                    foreach (var (n, e) in let) vars[n] = ExpressionEvaluator.Evaluate(e, scope) ?? BsonNull.Value;
                }
                var inner = new PipelineContext { Storage = context.Storage, Database = context.Database, Variables = vars, Collator = context.Collator };
                joined = Run(pipeline, matches.Select(m => (BsonDocument)m.DeepClone()).ToList(), inner);
            }
            else joined = matches.Select(m => (BsonDocument)m.DeepClone()).ToList();
            var copy = (BsonDocument)doc.DeepClone();
            SetPath(copy, asField, new BsonArray(joined));
            result.Add(copy);
        }
        return result;
    }

    private static (string Db, string Coll) Target(BsonValue spec, PipelineContext context, string stage)
    {
        if (spec is BsonString s) return (context.Database, s.Value);
        if (spec is BsonDocument d && d.TryGetValue("coll", out var c) && c is BsonString cs)
            return (d.TryGetValue("db", out var db) ? db.AsString : context.Database, cs.Value);
        throw Errors.Location(stage == "$out" ? 16990 : 51178, stage + " target must be a string or an object with 'db' and 'coll'");
    }

    private static List<BsonDocument> Out(BsonValue spec, List<BsonDocument> docs, PipelineContext context)
    {
        var (db, coll) = Target(spec, context, "$out");
        var target = context.Storage.GetOrCreateCollection(db, coll, out _);
        // Build first so a duplicate _id leaves the target untouched, as the server's temp-collection swap does.
        var staging = new CollectionData(target.Database, coll, target.Options) { IsStaging = true };
        foreach (var index in target.Indexes)
            if (!index.IsId) staging.AddIndex(new IndexData(index.Spec));
        foreach (var d in docs)
        {
            var prepared = CollectionData.PrepareForInsert(d);
            if (!context.BypassDocumentValidation) target.CheckValidator(prepared);
            staging.Insert(prepared);
        }
        target.Truncate();
        foreach (var d in staging.Documents) target.Insert(d);
        return [];
    }

    private static List<BsonDocument> Merge(BsonValue spec, List<BsonDocument> docs, PipelineContext context)
    {
        BsonValue into;
        var on = new List<string> { "_id" };
        var whenMatched = "merge";
        BsonArray? whenMatchedPipeline = null;
        var whenNotMatched = "insert";
        if (spec is BsonString) into = spec;
        else if (spec is BsonDocument md)
        {
            if (!md.TryGetValue("into", out into!)) throw Errors.Location(40414, "BSON field '$merge.into' is missing but a required field");
            foreach (var (n, v) in md)
            {
                switch (n)
                {
                    case "into": break;
                    case "on":
                        on = v is BsonString os ? [os.Value] : v is BsonArray oa ? oa.Select(x => x.AsString).ToList() : throw Errors.Location(51186, "$merge 'on' must be a string or array of strings");
                        break;
                    case "whenMatched":
                        if (v is BsonArray wp) { whenMatched = "pipeline"; whenMatchedPipeline = wp; }
                        else whenMatched = v.AsString;
                        break;
                    case "whenNotMatched": whenNotMatched = v.AsString; break;
                    case "let": break;
                    default: throw Errors.Location(40415, "BSON field '$merge." + n + "' is an unknown field.");
                }
            }
        }
        else throw Errors.Location(51182, "$merge requires a string or object argument");
        var (db, coll) = Target(into, context, "$merge");
        var target = context.Storage.GetOrCreateCollection(db, coll, out _);
        foreach (var doc in docs)
        {
            var filter = new BsonDocument();
            foreach (var f in on)
            {
                var v = FieldPath.GetStrict(doc, f);
                if (v is null && f == "_id")
                {
                    v = new BsonObjectId(ObjectId.GenerateNewId());
                    doc.InsertAt(0, new BsonElement("_id", v));
                }
                if (v is null || v is BsonArray)
                    throw Errors.Location(51132, "$merge write error: 'on' field '" + f + "' cannot be missing, null, undefined or an array");
                filter.Add(f, v);
            }
            var parsed = FilterParser.Parse(filter);
            var existing = target.Find(parsed, filter).FirstOrDefault();
            if (existing is null)
            {
                switch (whenNotMatched)
                {
                    case "insert":
                        {
                            var prepared = CollectionData.PrepareForInsert(doc);
                            if (!context.BypassDocumentValidation) target.CheckValidator(prepared);
                            target.Insert(prepared);
                            break;
                        }
                    case "discard": break;
                    case "fail": throw Errors.Location(13113, "$merge could not find a matching document in the target collection for at least one document in the source collection");
                    default: throw Errors.BadValue("Enumeration value '" + whenNotMatched + "' for field '$merge.whenNotMatched' is not a valid value.");
                }
                continue;
            }
            BsonDocument replacement;
            switch (whenMatched)
            {
                case "replace":
                    replacement = (BsonDocument)doc.DeepClone();
                    break;
                case "keepExisting":
                    continue;
                case "fail":
                    throw Errors.DuplicateKey(target.FullName, "_id_", new BsonDocument("_id", 1), new BsonDocument("_id", existing["_id"]));
                case "merge":
                    replacement = (BsonDocument)existing.DeepClone();
                    foreach (var (n, v) in doc) replacement.Set(n, v.DeepClone());
                    break;
                case "pipeline":
                    {
                        var vars = new Dictionary<string, BsonValue>(StringComparer.Ordinal) { ["new"] = doc };
                        replacement = RunOnDocument(whenMatchedPipeline!, (BsonDocument)existing.DeepClone(), vars);
                        break;
                    }
                default:
                    throw Errors.BadValue("Enumeration value '" + whenMatched + "' for field '$merge.whenMatched' is not a valid value.");
            }
            if (!replacement.Contains("_id")) replacement.InsertAt(0, new BsonElement("_id", existing["_id"]));
            CollectionData.ValidateForStorage(replacement);
            if (!context.BypassDocumentValidation) target.CheckValidator(replacement, existing);
            target.Replace(existing, replacement);
        }
        return [];
    }
}
