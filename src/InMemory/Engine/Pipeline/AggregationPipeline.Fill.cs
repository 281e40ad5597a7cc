using Mongo.Bson;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>$fill: as in mongod, rewritten into $setWindowFields ($locf/$linearFill) followed by $addFields ($ifNull) for values.</summary>
internal static partial class AggregationPipeline
{
    private static List<BsonDocument> Fill(BsonValue spec, List<BsonDocument> docs, PipelineContext context)
    {
        if (spec is not BsonDocument fd) throw Errors.FailedToParse("The $fill stage specification must be an object, found " + BsonOrder.TypeName(spec));
        BsonValue? partitionBy = null;
        BsonArray? partitionByFields = null;
        BsonDocument? sortBy = null;
        BsonDocument? output = null;
        foreach (var (name, value) in fd)
        {
            switch (name)
            {
                case "partitionBy":
                    if (value is not (BsonString or BsonDocument))
                        throw Errors.TypeMismatch("BSON field '$fill.partitionBy' is the wrong type '" + BsonOrder.TypeName(value) + "', expected types '[string, object]'");
                    partitionBy = value;
                    break;
                case "partitionByFields":
                    if (value is not BsonArray pf) throw FillWrongType("partitionByFields", value, "array");
                    foreach (var f in pf)
                        if (f is not BsonString) throw FillWrongType("partitionByFields", f, "string");
                    partitionByFields = pf;
                    break;
                case "sortBy":
                    sortBy = value as BsonDocument ?? throw FillWrongType("sortBy", value, "object");
                    break;
                case "output":
                    output = value as BsonDocument ?? throw FillWrongType("output", value, "object");
                    break;
                default:
                    throw Errors.Location(40415, "BSON field '$fill." + name + "' is an unknown field.");
            }
        }
        if (output is null) throw Errors.Location(40414, "BSON field '$fill.output' is missing but a required field");
        if (output.ElementCount == 0) throw Errors.Location(6050203, "The output field in '$fill' must contain an object with at least one element");

        var windowOutput = new BsonDocument();
        var addFields = new BsonDocument();
        foreach (var (field, fieldSpec) in output)
        {
            if (fieldSpec is not BsonDocument fs) throw Errors.Location(6050200, "Each fill output specification must be an object with exactly one field");
            BsonValue? method = null, value = null;
            foreach (var (n, v) in fs)
            {
                switch (n)
                {
                    case "method": method = v is BsonString ? v : throw FillWrongType("method", v, "string"); break;
                    case "value": value = v; break;
                    default: throw Errors.Location(40415, "BSON field '$fill." + n + "' is an unknown field.");
                }
            }
            if (method is not null)
            {
                if (value is not null)
                    throw Errors.Location(6050201, "Each fill output specification must have exactly one of 'method' or 'value' fields, not both");
                var m = method.AsString;
                if (m is not ("locf" or "linear")) throw Errors.Location(6050202, "Method must be either locf or linear");
                windowOutput.Add(field, new BsonDocument(m == "linear" ? "$linearFill" : "$locf", "$" + field));
            }
            if (value is not null) addFields.Add(field, new BsonDocument("$ifNull", new BsonArray { "$" + field, value }));
        }

        var windowSpec = new BsonDocument("output", windowOutput);
        if (sortBy is not null) windowSpec.Add("sortBy", sortBy);
        if (partitionBy is not null)
        {
            if (partitionByFields is not null)
                throw Errors.Location(6050204, "Maximum one of 'partitionBy' and 'partitionByFields can be specified in '$fill'");
            windowSpec.Add("partitionBy", partitionBy);
        }
        if (partitionByFields is not null)
        {
            var byFields = new BsonDocument();
            foreach (var f in partitionByFields) byFields.Set(f.AsString, "$" + f.AsString);
            windowSpec.Add("partitionBy", byFields);
        }
        var result = docs;
        if (windowOutput.ElementCount > 0) result = SetWindowFields(windowSpec, result, context);
        if (addFields.ElementCount > 0) result = RunStage("$addFields", addFields, result, context, 1);
        return result;
    }

    private static Commands.CommandException FillWrongType(string field, BsonValue value, string expected) =>
        Errors.TypeMismatch("BSON field '$fill." + field + "' is the wrong type '" + BsonOrder.TypeName(value) + "', expected type '" + expected + "'");
}
