using Mongo.Bson;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Updates;

internal sealed partial class Update
{
    /// <summary>
    /// Applies the update to <paramref name="doc"/> (already a private copy) and returns the new document.
    /// <paramref name="modified"/> says whether anything changed.
    /// </summary>
    public BsonDocument Apply(BsonDocument doc, MatchState? state, bool isInsert, out bool modified)
    {
        BsonDocument result;
        if (_replacement is not null)
        {
            result = (BsonDocument)_replacement.DeepClone();
            if (doc.TryGetValue("_id", out var id))
            {
                if (result.TryGetValue("_id", out var newId))
                {
                    if (!newId.Equals(id)) throw ImmutableId(id, newId);
                    result.Remove("_id");
                }
                result.InsertAt(0, new BsonElement("_id", id));
            }
            modified = !result.Equals(doc);
            return result;
        }
        if (_pipeline is not null)
        {
            var output = Pipeline.AggregationPipeline.RunOnDocument(_pipeline, doc, _variables, _collator);
            // A pipeline that drops _id (e.g. $replaceRoot) keeps the original one, as the server does.
            if (!output.Contains("_id") && doc.TryGetValue("_id", out var keptId))
            {
                output.InsertAt(0, new BsonElement("_id", keptId));
            }

            CheckId(doc, output);
            modified = !output.Equals(doc);
            return output;
        }
        result = doc;
        var changed = false;
        var now = DateTime.UtcNow;
        // The server applies field updates in lexicographic path order; new fields therefore appear in that order.
        var ordered = _ops!.OrderBy(o => o.Path, StringComparer.Ordinal).ToList();
        var original = isInsert ? null : (BsonDocument)doc.DeepClone();
        foreach (var (op, path, parts, operand) in ordered)
        {
            if (op == "$setOnInsert" && !isInsert) continue;
            foreach (var concrete in Expand(result, parts, 0, state, path))
            {
                changed |= ApplyOne(result, op, concrete, operand, now, original ?? result);
            }
        }
        if (original is not null) CheckId(original, result);
        modified = changed;
        return result;
    }

    private static void CheckId(BsonDocument before, BsonDocument after)
    {
        var had = before.TryGetValue("_id", out var oldId);
        var has = after.TryGetValue("_id", out var newId);
        if (had && (!has || !newId!.Equals(oldId))) throw ImmutableId(oldId!, newId);
    }

    private static Commands.CommandException ImmutableId(BsonValue oldId, BsonValue? newId)
    {
        _ = oldId;
        _ = newId;
        return Errors.ImmutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
    }

    /// <summary>Expands positional parts ($, $[], $[id]) into concrete paths over the document's current arrays.</summary>
    private List<string[]> Expand(BsonDocument doc, string[] parts, int start, MatchState? state, string fullPath)
    {
        var hasPositional = false;
        foreach (var p in parts)
            if (p.StartsWith('$')) { hasPositional = true; break; }
        if (!hasPositional) return [parts];
        var results = new List<string[]>();
        ExpandFrom(doc, parts, 0, new List<string>(), results, state, fullPath);
        return results;
    }

    private void ExpandFrom(BsonValue? current, string[] parts, int i, List<string> prefix, List<string[]> results, MatchState? state, string fullPath)
    {
        if (i == parts.Length)
        {
            results.Add(prefix.ToArray());
            return;
        }
        var part = parts[i];
        if (part == "$")
        {
            var pos = state?.ArrayPosition ?? -1;
            if (pos < 0) throw Errors.BadValue("The positional operator did not find the match needed from the query.");
            if (current is not BsonArray)
                throw Errors.BadValue("The positional operator did not find the match needed from the query.");
            prefix.Add(pos.ToString(System.Globalization.CultureInfo.InvariantCulture));
            ExpandFrom(((BsonArray)current)[Math.Min(pos, ((BsonArray)current).Count - 1)], parts, i + 1, prefix, results, state, fullPath);
            prefix.RemoveAt(prefix.Count - 1);
            return;
        }
        if (part.StartsWith("$[", StringComparison.Ordinal) && part.EndsWith(']'))
        {
            if (current is null) return;
            if (current is not BsonArray arr)
                throw Errors.BadValue("Cannot apply array updates to non-array element " + Shell.Format(current));
            Filter? filter = null;
            if (part.Length > 3)
            {
                var id = part[2..^1];
                filter = _arrayFilters[id];
                for (var k = 0; k < arr.Count; k++)
                {
                    if (!filter.Matches(new BsonDocument(id, arr[k]))) continue;
                    prefix.Add(k.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    ExpandFrom(arr[k], parts, i + 1, prefix, results, state, fullPath);
                    prefix.RemoveAt(prefix.Count - 1);
                }
                return;
            }
            for (var k = 0; k < arr.Count; k++)
            {
                prefix.Add(k.ToString(System.Globalization.CultureInfo.InvariantCulture));
                ExpandFrom(arr[k], parts, i + 1, prefix, results, state, fullPath);
                prefix.RemoveAt(prefix.Count - 1);
            }
            return;
        }
        BsonValue? next = current switch
        {
            BsonDocument d => d.TryGetValue(part, out var v) ? v : null,
            BsonArray a when FieldPath.TryParseIndex(part, out var idx) => idx < a.Count ? a[idx] : null,
            _ => null,
        };
        prefix.Add(part);
        ExpandFrom(next, parts, i + 1, prefix, results, state, fullPath);
        prefix.RemoveAt(prefix.Count - 1);
    }

    /// <summary>Finds the container of the last path part, creating intermediate documents when asked.</summary>
    private static BsonValue? Navigate(BsonDocument doc, string[] parts, bool create, string path)
    {
        BsonValue current = doc;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var part = parts[i];
            BsonValue? next;
            switch (current)
            {
                case BsonDocument d:
                    if (!d.TryGetValue(part, out next))
                    {
                        if (!create) return null;
                        next = new BsonDocument();
                        d.Add(part, next);
                    }
                    break;
                case BsonArray a:
                    if (!FieldPath.TryParseIndex(part, out var idx))
                    {
                        if (!create) return null;
                        throw Errors.PathNotViable("Cannot create field '" + part + "' in element {" + string.Join('.', parts, 0, i) + ": " + Shell.Format(a) + "}");
                    }
                    if (idx >= a.Count)
                    {
                        if (!create) return null;
                        while (a.Count < idx) a.Add(BsonNull.Value);
                        next = new BsonDocument();
                        a.Add(next);
                    }
                    else next = a[idx];
                    break;
                default:
                    return null;
            }
            if (next is not (BsonDocument or BsonArray))
            {
                if (!create) return null;
                throw Errors.PathNotViable("Cannot create field '" + parts[i + 1] + "' in element {" + part + ": " + Shell.Format(next) + "}");
            }
            current = next;
        }
        _ = path;
        return current;
    }

    private static BsonValue? GetChild(BsonValue container, string name) => container switch
    {
        BsonDocument d => d.TryGetValue(name, out var v) ? v : null,
        BsonArray a => FieldPath.TryParseIndex(name, out var i) && i < a.Count ? a[i] : null,
        _ => null,
    };

    private static void SetChild(BsonValue container, string name, BsonValue value, string path)
    {
        switch (container)
        {
            case BsonDocument d:
                d.Set(name, value);
                break;
            case BsonArray a:
                if (!FieldPath.TryParseIndex(name, out var i))
                    throw Errors.PathNotViable("Cannot create field '" + name + "' in element {" + path + ": " + Shell.Format(a) + "}");
                while (a.Count < i) a.Add(BsonNull.Value);
                if (i == a.Count) a.Add(value);
                else a[i] = value;
                break;
        }
    }

    private bool ApplyOne(BsonDocument doc, string op, string[] parts, BsonValue operand, DateTime now, BsonDocument original)
    {
        var path = string.Join('.', parts);
        var name = parts[^1];
        switch (op)
        {
            case "$set":
            case "$setOnInsert":
                {
                    var container = Navigate(doc, parts, create: true, path)!;
                    var existing = GetChild(container, name);
                    if (existing is not null && existing.Equals(operand) && existing.BsonType == operand.BsonType) return false;
                    SetChild(container, name, operand.DeepClone(), path);
                    return true;
                }
            case "$unset":
                {
                    var container = Navigate(doc, parts, create: false, path);
                    if (container is BsonDocument d) return d.Remove(name);
                    if (container is BsonArray a && FieldPath.TryParseIndex(name, out var i) && i < a.Count)
                    {
                        if (a[i].BsonType == BsonType.Null) return false;
                        a[i] = BsonNull.Value;
                        return true;
                    }
                    return false;
                }
            case "$inc":
            case "$mul":
                {
                    var container = Navigate(doc, parts, create: true, path)!;
                    var existing = GetChild(container, name);
                    BsonValue result;
                    if (existing is null)
                        result = op == "$inc" ? operand : Num.Multiply(Zero(operand), new BsonInt32(1));
                    else
                    {
                        if (!existing.IsNumeric)
                            throw Errors.TypeMismatch("Cannot apply " + op + " to a value of non-numeric type. {_id: " + Shell.Format(original.GetValueOrDefault("_id")) +
                                "} has the field '" + name + "' of non-numeric type " + BsonOrder.TypeName(existing));
                        result = op == "$inc" ? Num.Add(existing, operand) : Num.Multiply(existing, operand);
                    }
                    if (existing is not null && existing.Equals(result)) return false;
                    SetChild(container, name, result, path);
                    return true;
                }
            case "$min":
            case "$max":
                {
                    var container = Navigate(doc, parts, create: true, path)!;
                    var existing = GetChild(container, name);
                    if (existing is not null)
                    {
                        var c = BsonOrder.Compare(operand, existing, _collator);
                        if (op == "$min" ? c >= 0 : c <= 0) return false;
                    }
                    SetChild(container, name, operand.DeepClone(), path);
                    return true;
                }
            case "$currentDate":
                {
                    var container = Navigate(doc, parts, create: true, path)!;
                    BsonValue value = operand is BsonDocument cd && cd["$type"].AsString == "timestamp"
                        ? new BsonTimestamp((uint)new DateTimeOffset(now).ToUnixTimeSeconds(), 1)
                        : new BsonDateTime(new DateTimeOffset(now).ToUnixTimeMilliseconds());
                    SetChild(container, name, value, path);
                    return true;
                }
            case "$rename":
                {
                    var container = Navigate(doc, parts, create: false, path);
                    if (container is BsonArray) throw Errors.BadValue("The source field cannot be an array element, '" + path + "' in doc with " + Shell.Format(original));
                    if (container is not BsonDocument source || !source.TryGetValue(name, out var value)) return false;
                    var targetParts = operand.AsString.Split('.');
                    var targetContainer = Navigate(doc, targetParts, create: true, operand.AsString);
                    if (targetContainer is BsonArray) throw Errors.BadValue("The destination field cannot be an array element, '" + operand.AsString + "' in doc with " + Shell.Format(original));
                    source.Remove(name);
                    SetChild(targetContainer!, targetParts[^1], value, operand.AsString);
                    return true;
                }
            case "$pop":
                {
                    var container = Navigate(doc, parts, create: false, path);
                    var existing = container is null ? null : GetChild(container, name);
                    if (existing is null) return false;
                    if (existing is not BsonArray a) throw Errors.TypeMismatch("Path '" + path + "' contains an element of non-array type '" + BsonOrder.TypeName(existing) + "'");
                    if (a.Count == 0) return false;
                    a.RemoveAt(operand.ToDouble() > 0 ? a.Count - 1 : 0);
                    return true;
                }
            case "$push":
            case "$addToSet":
                return PushOrAdd(doc, op, parts, path, name, operand, original);
            case "$pull":
            case "$pullAll":
                {
                    var container = Navigate(doc, parts, create: false, path);
                    var existing = container is null ? null : GetChild(container, name);
                    if (existing is null) return false;
                    if (existing is not BsonArray a) throw Errors.BadValue("Cannot apply " + op + " to a non-array value");
                    Func<BsonValue, bool> remove;
                    if (op == "$pullAll")
                    {
                        var values = (BsonArray)operand;
                        remove = e => values.Any(v => BsonOrder.Compare(e, v, _collator) == 0);
                    }
                    else remove = PullMatcher(operand);
                    var removed = false;
                    for (var i = a.Count - 1; i >= 0; i--)
                    {
                        if (remove(a[i])) { a.RemoveAt(i); removed = true; }
                    }
                    return removed;
                }
            case "$bit":
                {
                    if (operand is not BsonDocument bits || bits.ElementCount == 0)
                        throw Errors.BadValue("The $bit modifier is not compatible with a " + BsonOrder.TypeName(operand) + ". You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}");
                    var container = Navigate(doc, parts, create: true, path)!;
                    var existing = GetChild(container, name) ?? new BsonInt32(0);
                    if (existing.BsonType is not (BsonType.Int32 or BsonType.Int64))
                        throw Errors.BadValue("Cannot apply $bit to a value of non-integral type.");
                    var acc = existing.ToInt64();
                    var isLong = existing.IsInt64;
                    foreach (var (bop, bval) in bits)
                    {
                        if (bval.BsonType is not (BsonType.Int32 or BsonType.Int64)) throw Errors.BadValue("The $bit modifier field must be an Integer(32/64 bit)");
                        isLong |= bval.IsInt64;
                        acc = bop switch
                        {
                            "and" => acc & bval.ToInt64(),
                            "or" => acc | bval.ToInt64(),
                            "xor" => acc ^ bval.ToInt64(),
                            _ => throw Errors.BadValue("The $bit modifier only supports 'and', 'or', and 'xor', not '" + bop + "'"),
                        };
                    }
                    BsonValue r = isLong ? new BsonInt64(acc) : new BsonInt32((int)acc);
                    if (r.Equals(existing) && GetChild(container, name) is not null) return false;
                    SetChild(container, name, r, path);
                    return true;
                }
            default:
                throw Errors.FailedToParse("Unknown modifier: " + op);
        }
    }

    private static BsonValue Zero(BsonValue like) => like.BsonType switch
    {
        BsonType.Int32 => new BsonInt32(0),
        BsonType.Int64 => new BsonInt64(0),
        BsonType.Double => new BsonDouble(0),
        _ => Num.FromDecimal(0m),
    };

    private Func<BsonValue, bool> PullMatcher(BsonValue operand)
    {
        if (operand is BsonDocument d && d.ElementCount > 0)
        {
            var first = d.GetElement(0).Name;
            if (first.StartsWith('$') && first is not ("$and" or "$or" or "$nor" or "$expr"))
            {
                var f = FilterParser.Parse(new BsonDocument("x", d), null, _collator);
                return e => f.Matches(new BsonDocument("x", e));
            }
            var docFilter = FilterParser.Parse(d, null, _collator);
            return e => e is BsonDocument ed && docFilter.Matches(ed);
        }
        if (operand is BsonRegularExpression re)
        {
            var p = new RegexPredicate(re.Pattern, re.Options);
            return e => p.Test(e);
        }
        return e => BsonOrder.Compare(e, operand, _collator) == 0;
    }

    private bool PushOrAdd(BsonDocument doc, string op, string[] parts, string path, string name, BsonValue operand, BsonDocument original)
    {
        var container = Navigate(doc, parts, create: true, path)!;
        var existing = GetChild(container, name);
        BsonArray array;
        var created = false;
        if (existing is null)
        {
            array = new BsonArray();
            created = true;
        }
        else if (existing is BsonArray ea) array = ea;
        else
        {
            throw Errors.BadValue("The field '" + path + "' must be an array but is of type " + BsonOrder.TypeName(existing) +
                " in document {_id: " + Shell.Format(original.GetValueOrDefault("_id")) + "}");
        }
        var changed = created;
        if (op == "$addToSet")
        {
            IEnumerable<BsonValue> items = operand is BsonDocument ad && ad.ElementCount > 0 && ad.GetElement(0).Name == "$each"
                ? ad[0] as BsonArray ?? throw Errors.TypeMismatch("The argument to $each in $addToSet must be an array but it was of type " + BsonOrder.TypeName(ad[0]))
                : [operand];
            foreach (var item in items)
            {
                var found = false;
                foreach (var e in array)
                    if (BsonOrder.Compare(e, item, _collator) == 0 && e.BsonType == item.BsonType) { found = true; break; }
                if (!found) { array.Add(item.DeepClone()); changed = true; }
            }
        }
        else
        {
            BsonArray each;
            int? position = null;
            int? slice = null;
            BsonValue? sort = null;
            if (operand is BsonDocument pd && pd.ElementCount > 0 && pd.Contains("$each"))
            {
                each = pd["$each"] as BsonArray ?? throw Errors.BadValue("The argument to $each in $push must be an array but it was of type: " + BsonOrder.TypeName(pd["$each"]));
                foreach (var (mod, val) in pd)
                {
                    switch (mod)
                    {
                        case "$each": break;
                        case "$position":
                            if (!val.IsNumeric) throw Errors.BadValue("The value for $position must be an integer value, not of type: " + BsonOrder.TypeName(val));
                            position = val.ToInt32();
                            break;
                        case "$slice":
                            if (!val.IsNumeric) throw Errors.BadValue("The value for $slice must be an integer value but was given type: " + BsonOrder.TypeName(val));
                            slice = val.ToInt32();
                            break;
                        case "$sort":
                            sort = val;
                            break;
                        default:
                            throw Errors.BadValue("Unrecognized clause in $push: " + mod);
                    }
                }
            }
            else each = [operand];
            var insertAt = array.Count;
            if (position is int p) insertAt = p >= 0 ? Math.Min(p, array.Count) : Math.Max(0, array.Count + p);
            foreach (var item in each)
            {
                array.Insert(insertAt++, item.DeepClone());
                changed = true;
            }
            if (sort is not null)
            {
                List<BsonValue> sorted;
                if (sort is BsonDocument sd)
                {
                    var spec = SortSpec.Parse(sd, _collator);
                    sorted = spec.Sort(array.ToList(), e => e);
                }
                else
                {
                    var dir = sort.ToInt32();
                    if (dir is not (1 or -1)) throw Errors.BadValue("The $sort element value must be either 1 or -1");
                    var list = array.ToList();
                    sorted = list.Select((v, i) => (v, i)).OrderBy(x => x, Comparer<(BsonValue v, int i)>.Create((x, y) =>
                    {
                        var c = BsonOrder.Compare(x.v, y.v, _collator) * dir;
                        return c != 0 ? c : x.i.CompareTo(y.i);
                    })).Select(x => x.v).ToList();
                }
                array.Clear();
                foreach (var v in sorted) array.Add(v);
                changed = true;
            }
            if (slice is int s)
            {
                if (s >= 0) while (array.Count > s) { array.RemoveAt(array.Count - 1); changed = true; }
                else while (array.Count > -s) { array.RemoveAt(0); changed = true; }
            }
        }
        if (created) SetChild(container, name, array, path);
        return changed;
    }
}
