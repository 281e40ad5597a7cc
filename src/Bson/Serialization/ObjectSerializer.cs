using System.Text;

namespace Mongo.Bson.Serialization;

/// <summary>Writes objects with a <c>_t</c> discriminator: how a base type's serializer hands a derived instance on.</summary>
internal interface IDiscriminatedSerializer
{
    void SerializeWithDiscriminator(BsonWriter writer, object value);
}

/// <summary>
/// The metadata-driven serializer of an object model (the reflection path, and generated types without a fast path).
/// Built lazily on first use, so a model may refer to itself. Writing follows the official driver byte for byte: a root
/// document writes the id first, then <c>_t</c> (when the runtime type is a known derived type), then the other members
/// in model order; an embedded document writes <c>_t</c> first and all members in model order; extra elements last.
/// Reading: element names are matched as UTF-8 against the members (the next expected member first), values go
/// straight into the instance through typed setters, or are buffered for a parameterised constructor.
/// </summary>
internal sealed partial class ObjectSerializer<T> : IBsonSerializer<T>, IDiscriminatedSerializer
{
    private static readonly byte[] DiscriminatorName = "_t"u8.ToArray();

    private readonly BsonTypeInfo<T> _info;
    private readonly BsonObjectInfoValues<T> _values;
    private State? _state;

    public ObjectSerializer(BsonTypeInfo<T> info, BsonObjectInfoValues<T> values)
    {
        _info = info;
        _values = values;
    }

    private State Model => _state ??= new State(_info, _values);

    public void Serialize(BsonWriter writer, T value)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        State state = Model;
        if (state.HasDerived && value.GetType() != typeof(T))
        {
            SerializeDerived(writer, value, state);
            return;
        }

        SerializeCore(writer, value, state, writeDiscriminator: false);
    }

    public void SerializeWithDiscriminator(BsonWriter writer, object value) => SerializeCore(writer, (T)value, Model, writeDiscriminator: true);

    private void SerializeDerived(BsonWriter writer, T value, State state)
    {
        Type runtimeType = value!.GetType();
        if (state.FindDerived(runtimeType) is not { } derived)
        {
            throw new BsonSerializationException(
                $"The runtime type {runtimeType} is not a known type of {typeof(T)}; declare it with [BsonKnownTypes(typeof({runtimeType.Name}))] on the base type.",
                typeof(T), null, null, null);
        }

        if (derived.UntypedSerializer is not IDiscriminatedSerializer discriminated)
        {
            throw new BsonSerializationException(
                $"The serializer of {runtimeType} cannot write the _t discriminator of its base {typeof(T)}.", typeof(T), null, null, null);
        }

        discriminated.SerializeWithDiscriminator(writer, value);
    }

    private static void SerializeCore(BsonWriter writer, T value, State state, bool writeDiscriminator)
    {
        // The official driver's order: a root document (what an insert stores) starts with _id, then _t; an embedded
        // document starts with _t, and its members, the id included, follow in declaration order.
        bool root = writer.CurrentDepth == 0;
        writer.WriteStartDocument();
        MemberAccessor<T>[] members = state.Members;
        int id = root ? state.IdIndex : -1;
        if (id >= 0)
        {
            members[id].Write(writer, value);
        }

        if (writeDiscriminator)
        {
            writer.WriteTrustedName(DiscriminatorName);
            writer.WriteString(state.DiscriminatorUtf8!);
        }

        for (int i = 0; i < members.Length; i++)
        {
            if (i != id)
            {
                members[i].Write(writer, value);
            }
        }

        if (state.Extra is { } extra)
        {
            WriteExtraElements(writer, extra.GetBoxed(value));
        }

        writer.WriteEndDocument();
    }

    private static void WriteExtraElements(BsonWriter writer, object? extra)
    {
        switch (extra)
        {
            case BsonDocument document:
                foreach (BsonElement element in document)
                {
                    writer.WriteValue(element.Name, element.Value);
                }

                break;
            case IEnumerable<KeyValuePair<string, object?>> dictionary:
                foreach (KeyValuePair<string, object?> pair in dictionary)
                {
                    writer.WriteValue(pair.Key, BsonValue.Create(pair.Value));
                }

                break;
        }
    }

    /// <summary>Everything derived from the model on first use.</summary>
    private sealed class State
    {
        private readonly BsonTypeInfo<T> _info;
        private Dictionary<Type, BsonTypeInfo>? _derivedByType;

        public State(BsonTypeInfo<T> info, BsonObjectInfoValues<T> values)
        {
            _info = info;
            var members = new List<MemberAccessor<T>>();
            foreach (BsonMemberInfo member in info.Members)
            {
                MemberAccessor<T> accessor = member.CreateAccessor<T>();
                if (member.IsExtraElements)
                {
                    Extra = accessor;
                }
                else
                {
                    members.Add(accessor);
                }
            }

            Members = [.. members];
            IdIndex = Array.FindIndex(Members, m => m.Info.IsId);
            DiscriminatorUtf8 = info.Discriminator is null ? null : Encoding.UTF8.GetBytes(info.Discriminator);
            Derived = [.. info.DerivedTypes.Where(d => d.Discriminator is not null).Select(d => (Encoding.UTF8.GetBytes(d.Discriminator!), d))];
            HasDerived = Derived.Length > 0;
            InHierarchy = HasDerived || DiscriminatorUtf8 is not null;
            Creator = values.ObjectCreator;
            ParameterizedCreator = values.ParameterizedCreator;
            UnknownIsError = info.Options.UnknownElementHandling == BsonUnknownElementHandling.Error;
            HasRequired = Members.Any(m => m.Info.IsRequired);

            if (values.ConstructorParameters is { Length: > 0 } parameters && ParameterizedCreator is not null)
            {
                ParameterMembers = new int[parameters.Length];
                Parameters = parameters;
                for (int p = 0; p < parameters.Length; p++)
                {
                    int index = Array.FindIndex(Members, m => m.Info.Name == parameters[p].MemberName);
                    if (index < 0)
                    {
                        throw new InvalidOperationException($"The constructor parameter '{parameters[p].Name}' of {typeof(T)} is bound to '{parameters[p].MemberName}', which is not a serialized member.");
                    }

                    ParameterMembers[p] = index;
                }
            }
        }

        public MemberAccessor<T>[] Members { get; }

        public MemberAccessor<T>? Extra { get; }

        public int IdIndex { get; }

        public byte[]? DiscriminatorUtf8 { get; }

        public (byte[] Name, BsonTypeInfo Info)[] Derived { get; }

        public bool HasDerived { get; }

        public bool InHierarchy { get; }

        public Func<T>? Creator { get; }

        public Func<object?[], T>? ParameterizedCreator { get; }

        public BsonParameterInfoValues[]? Parameters { get; }

        public int[]? ParameterMembers { get; }

        public bool UnknownIsError { get; }

        public bool HasRequired { get; }

        public BsonTypeInfo? FindDerived(Type runtimeType)
        {
            Dictionary<Type, BsonTypeInfo>? map = _derivedByType;
            if (map is null)
            {
                map = [];
                foreach ((_, BsonTypeInfo info) in Derived)
                {
                    map.TryAdd(info.Type, info);
                }

                _derivedByType = map;
            }

            return map.GetValueOrDefault(runtimeType);
        }

        public int Find(ReadOnlySpan<byte> name, int hint)
        {
            MemberAccessor<T>[] members = Members;
            if ((uint)hint < (uint)members.Length && name.SequenceEqual(members[hint].Utf8Name))
            {
                return hint;
            }

            for (int i = 0; i < members.Length; i++)
            {
                byte[] candidate = members[i].Utf8Name;
                if (candidate.Length == name.Length && name.SequenceEqual(candidate))
                {
                    return i;
                }
            }

            return -1;
        }

        public override string ToString() => _info.Type.ToString();
    }
}
