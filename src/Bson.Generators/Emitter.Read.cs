using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Mongo.Bson.Generators;

internal static partial class Emitter
{
    private static void EmitRead(CodeWriter w, ContextSpec spec, TypeSpec type)
    {
        ObjectSpec o = type.Object!;
        string t = type.TypeName;
        List<MemberSpec> members = o.Members.ToList();
        w.Line();
        w.Open($"internal {t} Read(ref global::Mongo.Bson.BsonReader reader)");
        if (!o.HasConstructor)
        {
            w.Line($"throw new {S}BsonSerializationException(\"{Display(t)} cannot be created.\", typeof({t}), null, reader.BytesConsumed, reader.CurrentPath);");
            w.Close();
            return;
        }

        for (int i = 0; i < members.Count; i++)
        {
            MemberSpec m = members[i];
            if (m.IsExtraElements)
            {
                continue;
            }

            string initial = m.ParameterIndex >= 0 && o.Parameters[m.ParameterIndex].DefaultLiteral is { } literal ? literal : "default!";
            w.Line($"{m.TypeName} m{i} = {initial};");
        }

        int words = (members.Count + 63) / 64;
        for (int i = 0; i < words; i++)
        {
            w.Line($"ulong seen{i} = 0;");
        }

        MemberSpec? extra = members.FirstOrDefault(m => m.IsExtraElements);
        if (extra is not null)
        {
            w.Line(extra.ExtraIsDictionary
                ? "global::System.Collections.Generic.Dictionary<string, object?>? extra = null;"
                : "global::Mongo.Bson.BsonDocument? extra = null;");
        }

        w.Line("string? member = null;");
        w.Open("try");
        w.Open("while (reader.Read() && reader.TokenType != global::Mongo.Bson.BsonTokenType.EndDocument)");
        w.Line("global::System.ReadOnlySpan<byte> name = reader.NameSpan;");

        // Dispatch on the name's UTF-8 length first, then compare the bytes: no string is made for a name.
        IEnumerable<IGrouping<int, (MemberSpec Member, int Index)>> byLength = members
            .Select((m, i) => (Member: m, Index: i))
            .Where(x => !x.Member.IsExtraElements)
            .GroupBy(x => Encoding.UTF8.GetByteCount(x.Member.ElementName))
            .OrderBy(g => g.Key);
        w.Open("switch (name.Length)");
        foreach (IGrouping<int, (MemberSpec Member, int Index)> group in byLength)
        {
            w.Line($"case {group.Key}:");
            w.Open(string.Empty);
            foreach ((MemberSpec m, int i) in group)
            {
                w.Open($"if (global::System.MemoryExtensions.SequenceEqual(name, {Literal(m.ElementName)}u8))");
                w.Line($"member = {Literal(m.Name)};");
                w.Line($"m{i} = {ReadExpression(m)};");
                w.Line($"seen{i / 64} |= {Bit(i)};");
                w.Line("continue;");
                w.Close();
            }

            w.Line("break;");
            w.Close();
        }

        w.Close();
        w.Line();
        if (o.Discriminator is not null)
        {
            w.Open("if (global::System.MemoryExtensions.SequenceEqual(name, \"_t\"u8))");
            w.Line("reader.Skip();");
            w.Line("continue;");
            w.Close();
            w.Line();
        }

        if (extra is not null)
        {
            w.Line("member = null;");
            w.Line(extra.ExtraIsDictionary
                ? "(extra ??= new global::System.Collections.Generic.Dictionary<string, object?>(global::System.StringComparer.Ordinal))[reader.GetName()] = global::Mongo.Bson.Serialization.BsonSerializers.Object.Deserialize(ref reader);"
                : "(extra ??= new global::Mongo.Bson.BsonDocument())[reader.GetName()] = reader.GetValue();");
        }
        else if (spec.UnknownElementHandling == 1)
        {
            w.Line($"throw new {S}BsonSerializationException($\"Unknown element '{{reader.GetName()}}': {Display(t)} has no member stored under that name (unknown elements are rejected by this context's options).\", typeof({t}), null, reader.BytesConsumed, reader.CurrentPath);");
        }
        else
        {
            w.Line("reader.Skip();");
        }

        w.Close();
        w.Close();

        // Errors of the built-in serializers name the path and offset; this adds the CLR type and member.
        w.Open("catch (global::Mongo.Bson.BsonException ex) when (ex is not " + S + "BsonSerializationException && ex is not global::Mongo.Bson.BsonFormatException)");
        w.Line($"throw new {S}BsonSerializationException(ex.Reason, typeof({t}), member, ex.ByteOffset ?? reader.BytesConsumed, ex.Path ?? reader.CurrentPath, ex);");
        w.Close();
        w.Line();

        EmitRequiredCheck(w, t, members);
        EmitConstruction(w, type, members);
        w.Close();
    }

    private static void EmitRequiredCheck(CodeWriter w, string t, List<MemberSpec> members)
    {
        for (int word = 0; word * 64 < members.Count; word++)
        {
            ulong mask = 0;
            for (int i = word * 64; i < members.Count && i < (word + 1) * 64; i++)
            {
                if (members[i].IsRequired)
                {
                    mask |= 1UL << (i % 64);
                }
            }

            if (mask == 0)
            {
                continue;
            }

            w.Open($"if ((seen{word} & 0x{mask:X}UL) != 0x{mask:X}UL)");
            for (int i = word * 64; i < members.Count && i < (word + 1) * 64; i++)
            {
                if (members[i].IsRequired)
                {
                    w.Open($"if ((seen{word} & {Bit(i)}) == 0)");
                    w.Line($"throw new {S}BsonSerializationException({Literal($"Required element '{members[i].ElementName}' is missing.")}, typeof({t}), {Literal(members[i].Name)}, reader.BytesConsumed, reader.CurrentPath);");
                    w.Close();
                }
            }

            w.Close();
            w.Line();
        }
    }

    private static void EmitConstruction(CodeWriter w, TypeSpec type, List<MemberSpec> members)
    {
        ObjectSpec o = type.Object!;
        string args = string.Join(", ", o.Parameters.Select(p => $"m{p.MemberIndex}"));
        string init = RequiredInitializer(o, m => "m" + members.IndexOf(m));
        w.Line($"var result = new {type.TypeName}({args}){init};");
        bool initialized(MemberSpec m) => !o.SetsRequiredMembers && m.IsCSharpRequired && m.Setter == AccessKind.Direct;
        for (int i = 0; i < members.Count; i++)
        {
            MemberSpec m = members[i];
            if (m.ParameterIndex >= 0 || m.Setter == AccessKind.None || initialized(m))
            {
                continue;
            }

            string value = m.IsExtraElements ? "extra" : "m" + i;
            string condition = m.IsExtraElements ? "extra is not null" : $"(seen{i / 64} & {Bit(i)}) != 0";
            w.Open($"if ({condition})");
            w.Line(SetStatement(type, m, "result", value));
            w.Close();
        }

        w.Line("return result;");
    }

    // The common scalars are read inline when the BSON type is the expected one; anything else (other numbers that
    // hold the value exactly, null, a mismatch) goes to the built-in serializer, so the rules and errors stay theirs.
    private static string ReadExpression(MemberSpec m)
    {
        string fallback = $"{m.TypeKey}.Deserialize(ref reader)";
        if (m.Representation is not null)
        {
            return fallback;
        }

        const string value = "reader.TokenType == global::Mongo.Bson.BsonTokenType.Value && reader.CurrentType == global::Mongo.Bson.BsonType.";
        return m.TypeName switch
        {
            "int" => $"reader.TryGetInt32(out int int32) ? int32 : {fallback}",
            "long" => $"reader.TryGetInt64(out long int64) ? int64 : {fallback}",
            "double" => $"reader.TryGetDouble(out double float64) ? float64 : {fallback}",
            "bool" => $"{value}Boolean ? reader.GetBoolean() : {fallback}",
            "string" => $"{value}String ? reader.GetString() : {fallback}",
            "global::Mongo.Bson.ObjectId" => $"{value}ObjectId ? reader.GetObjectId() : {fallback}",
            _ => fallback,
        };
    }

    private static string Bit(int index) => $"0x{1UL << (index % 64):X}UL";
}
