namespace Mongo.Bson;

/// <summary>Extended JSON output.</summary>
public abstract partial class BsonValue
{
    /// <summary>This value as Extended JSON (relaxed by default, as the Extended JSON spec recommends).</summary>
    public string ToJson(ExtendedJsonMode mode = ExtendedJsonMode.Relaxed) => ExtendedJson.Write(this, mode);
}
