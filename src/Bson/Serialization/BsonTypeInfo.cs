using System.Diagnostics.CodeAnalysis;

namespace Mongo.Bson.Serialization;

/// <summary>What shape of BSON a <see cref="BsonTypeInfo"/> describes.</summary>
public enum BsonTypeInfoKind
{
    /// <summary>A single value (number, string, ObjectId, BsonValue, ...).</summary>
    Value = 0,

    /// <summary>A class, record or struct stored as a document of its members.</summary>
    Object,

    /// <summary>A sequence stored as an array; <see cref="BsonTypeInfo.ElementTypeInfo"/> describes the items.</summary>
    Collection,

    /// <summary>A string-keyed dictionary stored as a document; <see cref="BsonTypeInfo.ElementTypeInfo"/> describes the values.</summary>
    Dictionary,
}

/// <summary>
/// The serializer model of one CLR type: how it is written and read, and for objects the members with their element
/// names and serializers. Both the source generator and the reflection resolver produce it; typed builders and
/// expression filters read it to turn <c>p =&gt; p.Home.City</c> into <c>home.city</c> and to encode values as the
/// member stores them. Thread-safe once built.
/// </summary>
public abstract class BsonTypeInfo
{
    private Func<BsonMemberInfo[]>? _membersFactory;
    private BsonMemberInfo[]? _members;
    private Func<BsonTypeInfo?>? _elementFactory;
    private BsonTypeInfo? _element;
    private Func<BsonTypeInfo[]>? _derivedFactory;
    private BsonTypeInfo[]? _derived;

    private protected BsonTypeInfo(Type type, BsonTypeInfoKind kind, BsonSerializerOptions options)
    {
        Type = type;
        Kind = kind;
        Options = options;
    }

    /// <summary>The CLR type.</summary>
    public Type Type { get; }

    /// <summary>The shape of BSON the type is stored as.</summary>
    public BsonTypeInfoKind Kind { get; }

    /// <summary>The options the model was built with.</summary>
    public BsonSerializerOptions Options { get; }

    /// <summary>
    /// For <see cref="BsonTypeInfoKind.Object"/>: the serialized members in model order (a root document is written
    /// with the id moved first, an embedded one in this order, as the official driver does).
    /// Empty for other kinds.
    /// </summary>
    public IReadOnlyList<BsonMemberInfo> Members => MemberArray;

    /// <summary>The member stored as <c>_id</c>, if any.</summary>
    public BsonMemberInfo? IdMember => Array.Find(MemberArray, m => m.IsId);

    /// <summary>The member that keeps elements no other member maps, if any.</summary>
    public BsonMemberInfo? ExtraElementsMember => Array.Find(MemberArray, m => m.IsExtraElements);

    /// <summary>For collections, the items' model; for dictionaries, the values' model; otherwise null.</summary>
    public BsonTypeInfo? ElementTypeInfo
    {
        get
        {
            if (_element is null && _elementFactory is { } factory)
            {
                _element = factory();
                _elementFactory = null;
            }

            return _element;
        }
    }

    /// <summary>
    /// The value of <c>_t</c> this type is stored with when it is part of a hierarchy (a base declares
    /// <see cref="BsonKnownTypesAttribute"/>), otherwise null.
    /// </summary>
    public string? Discriminator { get; private protected set; }

    /// <summary>The known derived types (declared with <see cref="BsonKnownTypesAttribute"/>), empty if none.</summary>
    public IReadOnlyList<BsonTypeInfo> DerivedTypes
    {
        get
        {
            if (_derived is null)
            {
                BsonTypeInfo[] derived = _derivedFactory?.Invoke() ?? [];
                Interlocked.CompareExchange(ref _derived, derived, null);
            }

            return _derived;
        }
    }

    private BsonMemberInfo[] MemberArray
    {
        get
        {
            if (_members is null)
            {
                // Members are built on first use so that recursive types (a Person with Person children) can refer
                // to their own model; a race builds twice and keeps the first.
                BsonMemberInfo[] members = _membersFactory?.Invoke() ?? [];
                Interlocked.CompareExchange(ref _members, members, null);
            }

            return _members;
        }
    }

    /// <summary>Finds a serialized member by its CLR name (ordinal).</summary>
    public BsonMemberInfo? GetMember(string clrName) => Array.Find(MemberArray, m => m.Name == clrName);

    /// <summary>Finds a serialized member by its element name (ordinal).</summary>
    public BsonMemberInfo? GetMemberByElementName(string elementName) => Array.Find(MemberArray, m => m.ElementName == elementName);

    /// <summary>Writes a value of <see cref="Type"/> (boxed) at the writer's position, as the typed serializer does.</summary>
    /// <exception cref="ArgumentException">The value is not of <see cref="Type"/>.</exception>
    public abstract void SerializeBoxed(BsonWriter writer, object? value);

    /// <summary>Reads a value of <see cref="Type"/> at the reader's current token and boxes it.</summary>
    public abstract object? DeserializeBoxed(ref BsonReader reader);

    /// <summary>The value as this type stores it, as a <see cref="BsonValue"/> (for building queries).</summary>
    public BsonValue ToBsonValue(object? value)
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        writer.WriteName("v");
        SerializeBoxed(writer, value);
        writer.WriteEndDocument();
        var document = BsonDocument.FromBytes(writer.WrittenSpan);
        return document["v"];
    }

    /// <summary>The serializer, untyped (for dispatching to a derived type's serializer).</summary>
    internal abstract object UntypedSerializer { get; }

    internal void SetMembersFactory(Func<BsonMemberInfo[]>? factory) => _membersFactory = factory;

    internal void SetElementFactory(Func<BsonTypeInfo?>? factory) => _elementFactory = factory;

    internal void SetDerivedFactory(Func<BsonTypeInfo[]>? factory) => _derivedFactory = factory;

    internal void SetDiscriminator(string? discriminator) => Discriminator = discriminator;

    [DoesNotReturn]
    private protected void ThrowWrongType(object? value) =>
        throw new ArgumentException($"Expected a value of {Type}, got {(value is null ? "null" : value.GetType().ToString())}.", nameof(value));
}

/// <summary>The serializer model of <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The CLR type.</typeparam>
public sealed class BsonTypeInfo<T> : BsonTypeInfo
{
    internal BsonTypeInfo(BsonTypeInfoKind kind, BsonSerializerOptions options, IBsonSerializer<T> serializer)
        : base(typeof(T), kind, options)
    {
        Serializer = serializer;
    }

    /// <summary>The serializer (generated straight-line code, or the metadata-driven one).</summary>
    public IBsonSerializer<T> Serializer { get; internal set; }

    /// <inheritdoc />
    internal override object UntypedSerializer => Serializer;

    /// <inheritdoc />
    public override void SerializeBoxed(BsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is T typed)
        {
            Serializer.Serialize(writer, typed);
        }
        else if (value is null && default(T) is null)
        {
            Serializer.Serialize(writer, default!);
        }
        else
        {
            ThrowWrongType(value);
        }
    }

    /// <inheritdoc />
    public override object? DeserializeBoxed(ref BsonReader reader) => Serializer.Deserialize(ref reader);
}
