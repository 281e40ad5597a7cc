using Mongo.Bson;

namespace Mongo.InMemory.Engine.Query.JsonSchema;

/// <summary>The array, object and logical keywords: those with subschemas, reported with their nested details.</summary>
internal sealed partial class JsonSchemaNode
{
    // The subschema's title and description travel with the entry that reports it.
    private static BsonDocument Annotated(BsonDocument entry, JsonSchemaNode schema)
    {
        if (schema.Title is not null) entry.Add("title", schema.Title);
        if (schema.Description is not null) entry.Add("description", schema.Description);
        return entry;
    }

    private bool ValidateArray(BsonValue? value, List<BsonDocument>? errors)
    {
        var collect = errors is not null;
        if (!Applies(TypeKind.Array, value, out var mismatch)) return true;
        // A value of another type fails an array keyword the schema states unguarded; mongod reports only the type.
        if (mismatch) return _minItems is null && _maxItems is null && !_uniqueItems && _items is null && _itemsList is null && _additionalItems is null && _additionalItemsAllowed is null;
        var array = (BsonArray)value!;
        var ok = true;
        if (_minItems is { } min && array.Count < min)
            ok = Fail(errors, Rule("minItems").Add("reason", "array did not match specified length").Add("consideredValue", array));
        if (!ok && !collect) return false;
        if (_maxItems is { } max && array.Count > max)
            ok = Fail(errors, Rule("maxItems").Add("reason", "array did not match specified length").Add("consideredValue", array));
        if (!ok && !collect) return false;
        if (_uniqueItems)
        {
            for (var i = 1; i < array.Count && ok; i++)
                for (var j = 0; j < i; j++)
                    if (JsonSchemaEquality.Equal(array[i], array[j]))
                    {
                        ok = Fail(errors, Rule("uniqueItems").Add("reason", "found a duplicate item").Add("consideredValue", array).Add("duplicatedValue", array[i]));
                        break;
                    }
        }
        if (!ok && !collect) return false;
        var additionalFrom = -1;
        if (_items is not null)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (_items.ValidateAt(array[i], false, collect, out var details)) continue;
                ok = Fail(errors, Annotated(new BsonDocument { { "operatorName", "items" }, { "reason", "At least one item did not match the sub-schema" }, { "itemIndex", i } }, _items).Add("details", details ?? []));
                break;
            }
        }
        else if (_itemsList is not null)
        {
            var failures = new BsonArray();
            for (var i = 0; i < array.Count && i < _itemsList.Count; i++)
            {
                if (_itemsList[i].ValidateAt(array[i], false, collect, out var details)) continue;
                ok = false;
                if (!collect) return false;
                failures.Add(Annotated(new BsonDocument("itemIndex", i), _itemsList[i]).Add("details", details!));
            }
            if (failures.Count > 0) errors!.Add(new BsonDocument { { "operatorName", "items" }, { "details", failures } });
            additionalFrom = _itemsList.Count;
        }
        if (!ok && !collect) return false;
        // additionalItems only means something after an items array.
        if (additionalFrom >= 0 && array.Count > additionalFrom)
        {
            if (_additionalItemsAllowed == false)
            {
                var extra = new BsonArray();
                for (var i = additionalFrom; i < array.Count; i++) extra.Add(array[i]);
                ok = Fail(errors, Rule("additionalItems").Add("reason", "found additional items").Add("additionalItems", extra));
            }
            else if (_additionalItems is not null)
            {
                for (var i = additionalFrom; i < array.Count; i++)
                {
                    if (_additionalItems.ValidateAt(array[i], false, collect, out var details)) continue;
                    ok = Fail(errors, Annotated(new BsonDocument("operatorName", "additionalItems"), _additionalItems)
                        .Add("reason", "At least one additional item did not match the sub-schema").Add("itemIndex", i).Add("details", details ?? []));
                    break;
                }
            }
        }
        return ok;
    }

    private bool ValidateObject(BsonValue? value, List<BsonDocument>? errors)
    {
        var collect = errors is not null;
        if (!Applies(TypeKind.Object, value, out var mismatch)) return true;
        if (mismatch) return _properties is null && _required is null && _patternProperties is null && _additionalProperties is null
            && _additionalPropertiesAllowed is null && _minProperties is null && _maxProperties is null && _dependencies is null;
        var doc = (BsonDocument)value!;
        var ok = true;
        if (_properties is not null)
        {
            var failures = new BsonArray();
            foreach (var (name, schema) in _properties)
            {
                // An absent property is the business of 'required', not of its schema.
                if (!doc.TryGetValue(name, out var field) || schema.ValidateAt(field, false, collect, out var details)) continue;
                ok = false;
                if (!collect) return false;
                failures.Add(Annotated(new BsonDocument("propertyName", name), schema).Add("details", details!));
            }
            if (failures.Count > 0) errors!.Add(new BsonDocument { { "operatorName", "properties" }, { "propertiesNotSatisfied", failures } });
        }
        ok &= ValidateAllowedProperties(doc, errors);
        if (!ok && !collect) return false;
        if (_required is not null)
        {
            var missing = new BsonArray();
            foreach (var name in _required) if (!doc.Contains(name)) missing.Add(name);
            if (missing.Count > 0) ok = Fail(errors, Rule("required").Add("missingProperties", missing));
        }
        if (!ok && !collect) return false;
        if (_minProperties is { } min && doc.ElementCount < min)
            ok = Fail(errors, Rule("minProperties").Add("reason", "specified number of properties was not satisfied").Add("numberOfProperties", doc.ElementCount));
        if (_maxProperties is { } max && doc.ElementCount > max)
            ok = Fail(errors, Rule("maxProperties").Add("reason", "specified number of properties was not satisfied").Add("numberOfProperties", doc.ElementCount));
        if (!ok && !collect) return false;
        if (_dependencies is not null) ok &= ValidateDependencies(doc, errors);
        return ok;
    }

    private bool ValidateAllowedProperties(BsonDocument doc, List<BsonDocument>? errors)
    {
        if (_patternProperties is null && _additionalProperties is null && _additionalPropertiesAllowed is null) return true;
        var collect = errors is not null;
        var ok = true;
        var additional = new BsonArray();
        BsonDocument? additionalFailure = null;
        var patternFailures = new BsonArray();
        foreach (var (name, field) in doc)
        {
            var matchedPattern = false;
            if (_patternProperties is not null)
            {
                foreach (var (pattern, regex, schema) in _patternProperties)
                {
                    if (!regex.IsMatch(name)) continue;
                    matchedPattern = true;
                    if (schema.ValidateAt(field, false, collect, out var details)) continue;
                    ok = false;
                    if (!collect) return false;
                    patternFailures.Add(Annotated(new BsonDocument("propertyName", name), schema).Add("regexMatched", pattern).Add("details", details!));
                }
            }
            if (matchedPattern || _properties is not null && _properties.Exists(p => p.Name == name)) continue;
            if (_additionalPropertiesAllowed == false)
            {
                ok = false;
                if (!collect) return false;
                additional.Add(name);
            }
            else if (_additionalProperties is not null && additionalFailure is null && !_additionalProperties.ValidateAt(field, false, collect, out var details))
            {
                ok = false;
                if (!collect) return false;
                additionalFailure = Annotated(new BsonDocument("operatorName", "additionalProperties"), _additionalProperties)
                    .Add("reason", "at least one additional property did not match the subschema").Add("failingProperty", name).Add("details", details!);
            }
        }
        if (additional.Count > 0) errors!.Add(Rule("additionalProperties").Add("additionalProperties", additional));
        if (additionalFailure is not null) errors!.Add(additionalFailure);
        if (patternFailures.Count > 0) errors!.Add(new BsonDocument { { "operatorName", "patternProperties" }, { "details", patternFailures } });
        return ok;
    }

    private bool ValidateDependencies(BsonDocument doc, List<BsonDocument>? errors)
    {
        var collect = errors is not null;
        var failures = new BsonArray();
        foreach (var (name, properties, schema) in _dependencies!)
        {
            if (!doc.Contains(name)) continue;
            if (properties is not null)
            {
                var missing = new BsonArray();
                foreach (var p in properties) if (!doc.Contains(p)) missing.Add(p);
                if (missing.Count == 0) continue;
                if (!collect) return false;
                failures.Add(new BsonDocument { { "conditionalProperty", name }, { "missingProperties", missing } });
            }
            else
            {
                var list = collect ? new List<BsonDocument>() : null;
                if (schema!.Validate(doc, false, list)) continue;
                if (!collect) return false;
                failures.Add(new BsonDocument { { "conditionalProperty", name }, { "details", new BsonArray(list!) } });
            }
        }
        if (failures.Count == 0) return true;
        errors!.Add(new BsonDocument { { "operatorName", "dependencies" }, { "failingDependencies", failures } });
        return false;
    }

    private bool ValidateLogical(BsonValue? value, bool topLevel, List<BsonDocument>? errors)
    {
        var collect = errors is not null;
        var ok = true;
        if (_allOf is not null)
        {
            var failures = new BsonArray();
            for (var i = 0; i < _allOf.Count; i++)
            {
                if (_allOf[i].ValidateAt(value, topLevel, collect, out var details)) continue;
                ok = false;
                if (!collect) return false;
                failures.Add(Annotated(new BsonDocument("index", i), _allOf[i]).Add("details", details!));
            }
            if (failures.Count > 0) errors!.Add(new BsonDocument { { "operatorName", "allOf" }, { "schemasNotSatisfied", failures } });
        }
        if (_anyOf is not null)
        {
            var failures = new BsonArray();
            var any = false;
            for (var i = 0; i < _anyOf.Count && !any; i++)
            {
                if (_anyOf[i].ValidateAt(value, topLevel, collect, out var details)) any = true;
                else if (collect) failures.Add(Annotated(new BsonDocument("index", i), _anyOf[i]).Add("details", details!));
            }
            if (!any)
            {
                ok = false;
                if (!collect) return false;
                errors!.Add(new BsonDocument { { "operatorName", "anyOf" }, { "schemasNotSatisfied", failures } });
            }
        }
        if (_oneOf is not null)
        {
            var failures = new BsonArray();
            var matching = new BsonArray();
            for (var i = 0; i < _oneOf.Count; i++)
            {
                if (_oneOf[i].ValidateAt(value, topLevel, collect, out var details)) matching.Add(i);
                else if (collect) failures.Add(Annotated(new BsonDocument("index", i), _oneOf[i]).Add("details", details!));
            }
            if (matching.Count != 1)
            {
                ok = false;
                if (!collect) return false;
                errors!.Add(matching.Count == 0
                    ? new BsonDocument { { "operatorName", "oneOf" }, { "schemasNotSatisfied", failures } }
                    : new BsonDocument { { "operatorName", "oneOf" }, { "reason", "more than one subschema matched" }, { "matchingSchemaIndexes", matching } });
            }
        }
        if (_not is not null && _not.Validate(value, topLevel, null))
        {
            ok = false;
            if (!collect) return false;
            errors!.Add(new BsonDocument { { "operatorName", "not" }, { "reason", "child expression matched" } });
        }
        if (_enum is not null && !InEnum(value, topLevel))
        {
            ok = false;
            if (!collect) return false;
            errors!.Add(Rule("enum").Add("reason", "value was not found in enum").Add("consideredValue", value ?? BsonNull.Value));
        }
        return ok;
    }

    private bool ValidateAt(BsonValue? value, bool topLevel, bool collect, out BsonArray? details)
    {
        if (!collect)
        {
            details = null;
            return Validate(value, topLevel, null);
        }
        var list = new List<BsonDocument>();
        var ok = Validate(value, topLevel, list);
        details = ok ? null : new BsonArray(list);
        return ok;
    }

    // At the top level only the enum's objects can equal the (object) document; elsewhere every member counts.
    private bool InEnum(BsonValue? value, bool topLevel)
    {
        if (value is null) return false;
        foreach (var member in _enum!)
        {
            if (topLevel && member is not BsonDocument) continue;
            if (JsonSchemaEquality.Equal(value, member)) return true;
        }
        return false;
    }
}
