using System.Collections.Generic;
using System.Linq;

namespace Mongo.Bson.Generators;

internal static partial class Emitter
{
    // Member types written with one BsonWriter call instead of a serializer call (no representation applied).
    private static readonly Dictionary<string, string> InlineWrites = new()
    {
        ["int"] = "writer.WriteInt32({0});",
        ["long"] = "writer.WriteInt64({0});",
        ["double"] = "writer.WriteDouble({0});",
        ["bool"] = "writer.WriteBoolean({0});",
        ["decimal"] = "writer.WriteDecimal128(new global::Mongo.Bson.Decimal128({0}));",
        ["global::Mongo.Bson.ObjectId"] = "writer.WriteObjectId({0});",
        ["global::Mongo.Bson.Decimal128"] = "writer.WriteDecimal128({0});",
        ["global::System.DateTime"] = "writer.WriteDateTime(global::Mongo.Bson.BsonDateTime.ToMilliseconds({0}));",
    };

    private static void EmitSerializer(CodeWriter w, ContextSpec spec, TypeSpec type, Dictionary<string, TypeSpec> byKey)
    {
        ObjectSpec o = type.Object!;
        string t = type.TypeName;
        string ctx = spec.ClassName;
        w.Line();
        w.Line($"/// <summary>Straight-line BSON for <c>{Xml(t)}</c>: UTF-8 element names, no reflection, no boxing.</summary>");
        w.Open($"private sealed class __{type.Key}Serializer : global::Mongo.Bson.IBsonSerializer<{t}>");
        w.Line($"private readonly {ctx} _context;");
        List<string> keys = o.Members.Select(m => m.TypeKey).Distinct().ToList();
        foreach (string key in keys)
        {
            w.Line($"private global::Mongo.Bson.IBsonSerializer<{byKey[key].TypeName}>? _{key};");
        }

        w.Line();
        w.Line($"public __{type.Key}Serializer({ctx} context) => _context = context;");
        foreach (string key in keys)
        {
            w.Line();
            w.Line($"private global::Mongo.Bson.IBsonSerializer<{byKey[key].TypeName}> {key} => _{key} ??= _context.{key}.Serializer;");
        }

        EmitSerialize(w, type);
        EmitWrite(w, type);
        EmitDeserialize(w, type);
        EmitRead(w, spec, type);
        w.Close();
    }

    private static void EmitSerialize(CodeWriter w, TypeSpec type)
    {
        ObjectSpec o = type.Object!;
        string t = type.TypeName;
        w.Line();
        w.Open($"public void Serialize(global::Mongo.Bson.BsonWriter writer, {t} value)");
        if (!o.IsValueType)
        {
            w.Open("if (value is null)");
            w.Line("writer.WriteNull();");
            w.Line("return;");
            w.Close();
            w.Line();
        }

        if (o.Derived.Count > 0)
        {
            // A derived instance written through its base gets "_t", as the official driver writes it.
            w.Open($"if (value.GetType() != typeof({t}))");
            w.Open("switch (value)");
            foreach (DerivedSpec d in o.Derived)
            {
                w.Line($"case {d.TypeName} derived:");
                w.Line($"    _context.{d.Key}FastPath.Write(writer, derived, true);");
                w.Line("    return;");
            }

            w.Close();
            w.Line($"throw new {S}BsonSerializationException($\"{{value.GetType()}} is not a known type of {Display(t)}: list it in [BsonKnownTypes] on the base type.\", typeof({t}), null, null, null);");
            w.Close();
            w.Line();
        }

        w.Line("Write(writer, value, false);");
        w.Close();
    }

    private static void EmitWrite(CodeWriter w, TypeSpec type)
    {
        ObjectSpec o = type.Object!;
        w.Line();
        w.Open($"internal void Write(global::Mongo.Bson.BsonWriter writer, {type.TypeName} value, bool discriminator)");
        // The official driver's order: a root document (what an insert stores) starts with _id, then _t; an embedded
        // document starts with _t, and its members, the id included, follow in declaration order.
        MemberSpec? id = o.Members.FirstOrDefault(m => m.IsId);
        if (id is not null)
        {
            w.Line("bool root = writer.CurrentDepth == 0;");
        }

        w.Line("writer.WriteStartDocument();");
        if (id is not null)
        {
            w.Open("if (root)");
            EmitMemberWrite(w, type, id);
            w.Close();
        }

        if (o.Discriminator is not null)
        {
            EmitDiscriminatorWrite(w, o);
        }

        MemberSpec? extra = null;
        foreach (MemberSpec m in o.Members)
        {
            if (m.IsExtraElements)
            {
                extra = m;
                continue;
            }

            if (m.IsId)
            {
                w.Open("if (!root)");
                EmitMemberWrite(w, type, m);
                w.Close();
                continue;
            }

            EmitMemberWrite(w, type, m);
        }

        if (extra is not null)
        {
            // Extra elements go after the mapped members, so a document read and written back keeps every element.
            w.Open($"if ({Get(type, extra, "value")} is {{ }} extra)");
            if (extra.ExtraIsDictionary)
            {
                w.Open("foreach (global::System.Collections.Generic.KeyValuePair<string, object?> element in extra)");
                w.Line("writer.WriteValue(element.Key, global::Mongo.Bson.BsonValue.Create(element.Value));");
            }
            else
            {
                w.Open("foreach (global::Mongo.Bson.BsonElement element in extra)");
                w.Line("writer.WriteValue(element.Name, element.Value);");
            }

            w.Close();
            w.Close();
        }

        w.Line("writer.WriteEndDocument();");
        w.Close();
    }

    private static void EmitDiscriminatorWrite(CodeWriter w, ObjectSpec o)
    {
        w.Open("if (discriminator)");
        w.Line("writer.WriteName(\"_t\"u8);");
        w.Line($"writer.WriteString({Literal(o.Discriminator!)}u8);");
        w.Close();
    }

    private static void EmitMemberWrite(CodeWriter w, TypeSpec type, MemberSpec m)
    {
        w.Open(string.Empty);
        w.Line($"var member = {Get(type, m, "value")};");
        int opened = 0;
        if (m.IgnoreIfNull && m.CanBeNull)
        {
            w.Open("if (member is not null)");
            opened++;
        }

        if (m.IgnoreIfDefault)
        {
            w.Open($"if (!global::System.Collections.Generic.EqualityComparer<{m.TypeName}>.Default.Equals(member!, default!))");
            opened++;
        }

        w.Line($"writer.WriteName({Literal(m.ElementName)}u8);");
        if (m.Representation is null && InlineWrites.TryGetValue(m.TypeName, out string? inline))
        {
            w.Line(string.Format(inline, "member"));
        }
        else if (m.Representation is null && m.TypeName == "string")
        {
            w.Open("if (member is null)");
            w.Line("writer.WriteNull();");
            w.Close();
            w.Open("else");
            w.Line("writer.WriteString(member);");
            w.Close();
        }
        else
        {
            w.Line($"{m.TypeKey}.Serialize(writer, member!);");
        }

        for (int i = 0; i < opened; i++)
        {
            w.Close();
        }

        w.Close();
    }

    private static void EmitDeserialize(CodeWriter w, TypeSpec type)
    {
        ObjectSpec o = type.Object!;
        string t = type.TypeName;
        w.Line();
        w.Open($"public {t} Deserialize(ref global::Mongo.Bson.BsonReader reader)");
        w.Open("if (reader.TokenType == global::Mongo.Bson.BsonTokenType.Value && reader.CurrentType == global::Mongo.Bson.BsonType.Null)");
        w.Line(o.IsValueType
            ? $"throw new {S}BsonSerializationException(\"BSON null cannot be read as a struct.\", typeof({t}), null, reader.BytesConsumed, reader.CurrentPath);"
            : "return null!;");
        w.Close();
        w.Line();
        w.Open("if (reader.TokenType != global::Mongo.Bson.BsonTokenType.StartDocument)");
        w.Line($"throw new {S}BsonSerializationException($\"Expected a document, found BSON {{reader.CurrentType}}.\", typeof({t}), null, reader.BytesConsumed, reader.CurrentPath);");
        w.Close();
        w.Line();
        if (o.Derived.Count > 0)
        {
            // "_t" may be anywhere in the document: look ahead on a copy of the reader (names compared as UTF-8, no
            // allocation), then read the whole document with the chosen type's code. Only known types are created.
            w.Line("global::Mongo.Bson.BsonReader probe = reader;");
            w.Open("while (probe.Read() && probe.TokenType != global::Mongo.Bson.BsonTokenType.EndDocument)");
            w.Open("if (probe.NameEquals(\"_t\"u8))");
            w.Open("if (probe.TokenType == global::Mongo.Bson.BsonTokenType.Value && probe.CurrentType == global::Mongo.Bson.BsonType.String)");
            w.Line("global::System.ReadOnlySpan<byte> name = probe.GetStringSpan();");
            foreach (DerivedSpec d in o.Derived)
            {
                w.Open($"if (global::System.MemoryExtensions.SequenceEqual(name, {Literal(d.Discriminator)}u8))");
                w.Line($"return _context.{d.Key}FastPath.Read(ref reader);");
                w.Close();
            }

            if (o.Discriminator is not null && !o.IsAbstract)
            {
                w.Open($"if (global::System.MemoryExtensions.SequenceEqual(name, {Literal(o.Discriminator)}u8))");
                w.Line("return Read(ref reader);");
                w.Close();
            }

            w.Close();
            w.Line($"throw new {S}BsonSerializationException(\"The discriminator '_t' names no known type of {Display(t)}; list the type in [BsonKnownTypes].\", typeof({t}), null, probe.BytesConsumed, probe.CurrentPath);");
            w.Close();
            w.Line();
            w.Line("probe.Skip();");
            w.Close();
            w.Line();
        }

        if (o.IsAbstract || !o.HasConstructor)
        {
            w.Line($"throw new {S}BsonSerializationException(\"The document has no '_t' discriminator, and {Display(t)} cannot be created itself.\", typeof({t}), null, reader.BytesConsumed, reader.CurrentPath);");
        }
        else
        {
            w.Line("return Read(ref reader);");
        }

        w.Close();
    }
}
