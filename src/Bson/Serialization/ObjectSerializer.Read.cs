namespace Mongo.Bson.Serialization;

internal sealed partial class ObjectSerializer<T>
{
    public T Deserialize(ref BsonReader reader)
    {
        if (SerializerHelpers.IsNull(ref reader) && default(T) is null)
        {
            return default!;
        }

        if (reader.TokenType != BsonTokenType.StartDocument)
        {
            throw Error(ref reader, $"Expected a document for {typeof(T).Name}, found BSON {Found(ref reader)}.", null);
        }

        State state = Model;
        if (state.HasDerived && FindDiscriminator(reader.ValueSpan, state) is { } derived)
        {
            return (T)derived.DeserializeBoxed(ref reader)!;
        }

        return state.ParameterizedCreator is not null && state.Creator is null
            ? ReadWithConstructor(ref reader, state)
            : ReadWithSetters(ref reader, state);
    }

    private T ReadWithSetters(ref BsonReader reader, State state)
    {
        if (state.Creator is null)
        {
            throw Error(ref reader, $"Cannot create an instance of {typeof(T)} (abstract, an interface, or no usable constructor)" +
                (state.HasDerived ? " and the document has no _t discriminator." : "."), null);
        }

        T instance = state.Creator();
        MemberAccessor<T>[] members = state.Members;
        Span<bool> seen = state.HasRequired ? stackalloc bool[Math.Min(members.Length, 256)] : default;
        BsonDocument? extra = null;
        int hint = 0;
        while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
        {
            int index = state.Find(reader.NameSpan, hint);
            if (index >= 0)
            {
                MemberAccessor<T> member = members[index];
                try
                {
                    member.Read(ref reader, ref instance);
                }
                catch (BsonException ex) when (ex is not BsonSerializationException and not BsonFormatException)
                {
                    throw Wrap(ref reader, member, ex);
                }

                if (index < seen.Length)
                {
                    seen[index] = true;
                }

                hint = index + 1;
            }
            else
            {
                HandleUnknown(ref reader, state, ref extra);
            }
        }

        if (state.HasRequired)
        {
            CheckRequired(ref reader, state, seen);
        }

        if (extra is not null)
        {
            state.Extra!.SetBoxed(ref instance, ConvertExtra(state.Extra, extra));
        }

        return instance;
    }

    private T ReadWithConstructor(ref BsonReader reader, State state)
    {
        MemberAccessor<T>[] members = state.Members;
        object?[] slots = new object?[members.Length];
        bool[] seen = new bool[members.Length];
        BsonDocument? extra = null;
        int hint = 0;
        while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
        {
            int index = state.Find(reader.NameSpan, hint);
            if (index >= 0)
            {
                try
                {
                    slots[index] = members[index].ReadBoxed(ref reader);
                }
                catch (BsonException ex) when (ex is not BsonSerializationException and not BsonFormatException)
                {
                    throw Wrap(ref reader, members[index], ex);
                }

                seen[index] = true;
                hint = index + 1;
            }
            else
            {
                HandleUnknown(ref reader, state, ref extra);
            }
        }

        BsonParameterInfoValues[] parameters = state.Parameters!;
        int[] bound = state.ParameterMembers!;
        object?[] args = new object?[parameters.Length];
        bool[] isArgument = new bool[members.Length];
        for (int p = 0; p < parameters.Length; p++)
        {
            int index = bound[p];
            isArgument[index] = true;
            if (seen[index])
            {
                args[parameters[p].Position] = slots[index];
            }
            else if (parameters[p].HasDefaultValue)
            {
                args[parameters[p].Position] = parameters[p].DefaultValue;
            }
            else
            {
                throw Error(ref reader, $"The document has no element '{members[index].Info.ElementName}' for the constructor parameter '{parameters[p].Name}' of {typeof(T).Name}.", members[index].Info.Name);
            }
        }

        CheckRequired(ref reader, state, seen);
        T instance = state.ParameterizedCreator!(args);
        for (int i = 0; i < members.Length; i++)
        {
            if (seen[i] && !isArgument[i])
            {
                members[i].SetBoxed(ref instance, slots[i]);
            }
        }

        if (extra is not null)
        {
            state.Extra!.SetBoxed(ref instance, ConvertExtra(state.Extra, extra));
        }

        return instance;
    }

    private void HandleUnknown(ref BsonReader reader, State state, ref BsonDocument? extra)
    {
        if (state.InHierarchy && reader.NameEquals(DiscriminatorName))
        {
            // The discriminator was used (or is ours); not data.
        }
        else if (state.Extra is not null)
        {
            (extra ??= []).Add(reader.GetName(), reader.GetValue());
            return;
        }
        else if (state.UnknownIsError)
        {
            throw Error(ref reader, $"The element '{reader.GetName()}' matches no member of {typeof(T).Name} (unknown elements are rejected by BsonSerializerOptions.UnknownElementHandling).", null);
        }

        if (reader.TokenType is BsonTokenType.StartDocument or BsonTokenType.StartArray)
        {
            reader.Skip();
        }
    }

    private void CheckRequired(ref BsonReader reader, State state, scoped ReadOnlySpan<bool> seen)
    {
        MemberAccessor<T>[] members = state.Members;
        for (int i = 0; i < members.Length && i < seen.Length; i++)
        {
            if (members[i].Info.IsRequired && !seen[i])
            {
                throw Error(ref reader, $"The required element '{members[i].Info.ElementName}' is missing.", members[i].Info.Name);
            }
        }
    }

    private static object ConvertExtra(MemberAccessor<T> member, BsonDocument extra)
    {
        if (member.Info.MemberType.IsAssignableFrom(typeof(BsonDocument)))
        {
            return extra;
        }

        // IDictionary<string, object?>: the natural mapping, as the official driver fills it.
        var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (BsonElement element in extra)
        {
            dictionary[element.Name] = BsonTypeMapperValue(element.Value);
        }

        return dictionary;
    }

    private static object? BsonTypeMapperValue(BsonValue value)
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        writer.WriteValue("v", value);
        writer.WriteEndDocument();
        var reader = new BsonReader(writer.WrittenSpan);
        reader.Read();
        reader.Read();
        return DictionarySerializer.ReadValue(ref reader);
    }

    private static BsonTypeInfo? FindDiscriminator(ReadOnlySpan<byte> document, State state)
    {
        // Look ahead over a second reader on the same bytes: no allocation, the caller's reader does not move.
        var probe = new BsonReader(document);
        probe.Read();
        while (probe.Read() && probe.TokenType != BsonTokenType.EndDocument)
        {
            if (probe.TokenType == BsonTokenType.Value && probe.CurrentType == BsonType.String && probe.NameEquals(DiscriminatorName))
            {
                ReadOnlySpan<byte> value = probe.GetStringSpan();
                if (state.DiscriminatorUtf8 is { } own && value.SequenceEqual(own))
                {
                    return null;
                }

                foreach ((byte[] name, BsonTypeInfo info) in state.Derived)
                {
                    if (value.SequenceEqual(name))
                    {
                        return info;
                    }
                }

                string text = probe.GetString();
                throw new BsonSerializationException(
                    $"Unknown discriminator _t: '{text}'; the known types of {typeof(T).Name} are {string.Join(", ", state.Derived.Select(d => d.Info.Discriminator))}.",
                    typeof(T), null, probe.BytesConsumed, "_t");
            }

            if (probe.TokenType is BsonTokenType.StartDocument or BsonTokenType.StartArray)
            {
                probe.Skip();
            }
        }

        return null;
    }

    private static BsonSerializationException Wrap(ref BsonReader reader, MemberAccessor<T> member, BsonException inner) =>
        new($"Cannot read member {member.Info.Name} ('{member.Info.ElementName}') of {typeof(T).Name}: {inner.Reason}",
            typeof(T), member.Info.Name, inner.ByteOffset ?? reader.ValueOffset, inner.Path ?? reader.CurrentPath, inner);

    private static BsonSerializationException Error(ref BsonReader reader, string message, string? member) =>
        new(message, typeof(T), member, reader.ValueOffset, reader.CurrentPath);

    private static string Found(ref BsonReader reader) =>
        reader.TokenType == BsonTokenType.Value ? reader.CurrentType.ToString() : reader.TokenType.ToString();
}
