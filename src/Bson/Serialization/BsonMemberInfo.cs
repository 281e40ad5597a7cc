using System.Text;

namespace Mongo.Bson.Serialization;

/// <summary>Sets a member on an instance held by reference, so structs can be populated in place.</summary>
public delegate void BsonMemberSetter<TDeclaring, in TMember>(ref TDeclaring instance, TMember value);

/// <summary>One serialized member of an object model: its CLR name, element name, serializer and policies.</summary>
public abstract class BsonMemberInfo
{
    private protected BsonMemberInfo(BsonMemberInfoValues values, Type declaringType, Type memberType, BsonTypeInfo memberTypeInfo)
    {
        Name = values.Name;
        ElementName = values.ElementName;
        Utf8ElementName = Encoding.UTF8.GetBytes(values.ElementName);
        DeclaringType = declaringType;
        MemberType = memberType;
        MemberTypeInfo = memberTypeInfo;
        Representation = values.Representation;
        IsId = values.IsId;
        IsExtraElements = values.IsExtraElements;
        IgnoreIfNull = values.IgnoreIfNull;
        IgnoreIfDefault = values.IgnoreIfDefault;
        IsRequired = values.IsRequired;
    }

    /// <summary>The CLR member name.</summary>
    public string Name { get; }

    /// <summary>The BSON element name (<c>_id</c> for the id).</summary>
    public string ElementName { get; }

    /// <summary>The element name as UTF-8, for matching names read from BSON without allocating.</summary>
    public ReadOnlyMemory<byte> Utf8ElementName { get; }

    /// <summary>The type that declares the member.</summary>
    public Type DeclaringType { get; }

    /// <summary>The member's CLR type.</summary>
    public Type MemberType { get; }

    /// <summary>How the member's value is stored (its representation already applied).</summary>
    public BsonTypeInfo MemberTypeInfo { get; }

    /// <summary>The representation from <see cref="BsonRepresentationAttribute"/>, if any.</summary>
    public BsonType? Representation { get; }

    /// <summary>Whether the member is stored as <c>_id</c>.</summary>
    public bool IsId { get; }

    /// <summary>Whether the member keeps the elements no other member maps.</summary>
    public bool IsExtraElements { get; }

    /// <summary>Whether a null value is not written.</summary>
    public bool IgnoreIfNull { get; }

    /// <summary>Whether a default value is not written.</summary>
    public bool IgnoreIfDefault { get; }

    /// <summary>Whether reading fails when the element is absent.</summary>
    public bool IsRequired { get; }

    /// <summary>Whether <see cref="SetValue"/> can set the member after construction.</summary>
    public abstract bool CanSet { get; }

    /// <summary>The member's value on <paramref name="instance"/>, boxed.</summary>
    public abstract object? GetValue(object instance);

    /// <summary>Sets the member on a class instance (for example a generated id).</summary>
    /// <exception cref="InvalidOperationException">The member cannot be set, or the declaring type is a struct.</exception>
    public abstract void SetValue(object instance, object? value);

    /// <summary>The typed read/write path of this member for the metadata-driven serializer of <typeparamref name="T"/>.</summary>
    internal abstract MemberAccessor<T> CreateAccessor<T>();
}

/// <summary>A member of <typeparamref name="TDeclaring"/> of type <typeparamref name="TMember"/>.</summary>
/// <typeparam name="TDeclaring">The declaring type.</typeparam>
/// <typeparam name="TMember">The member type.</typeparam>
public sealed class BsonMemberInfo<TDeclaring, TMember> : BsonMemberInfo
{
    internal BsonMemberInfo(BsonMemberInfoValues<TDeclaring, TMember> values)
        : base(values, typeof(TDeclaring), typeof(TMember), values.TypeInfo)
    {
        Getter = values.Getter;
        Setter = values.Setter;
        TypeInfo = values.TypeInfo;
    }

    /// <summary>Reads the member.</summary>
    public Func<TDeclaring, TMember> Getter { get; }

    /// <summary>Sets the member, or null when it is set only through a constructor.</summary>
    public BsonMemberSetter<TDeclaring, TMember>? Setter { get; }

    /// <summary>The member's model (representation applied); <see cref="BsonTypeInfo{T}.Serializer"/> writes and reads the value.</summary>
    public BsonTypeInfo<TMember> TypeInfo { get; }

    /// <inheritdoc />
    public override bool CanSet => Setter is not null && !typeof(TDeclaring).IsValueType;

    /// <inheritdoc />
    public override object? GetValue(object instance) => Getter((TDeclaring)instance);

    /// <inheritdoc />
    public override void SetValue(object instance, object? value)
    {
        if (!CanSet)
        {
            throw new InvalidOperationException($"The member {typeof(TDeclaring)}.{Name} cannot be set after construction.");
        }

        var target = (TDeclaring)instance;
        Setter!(ref target, (TMember)value!);
    }

    /// <inheritdoc />
    internal override MemberAccessor<T> CreateAccessor<T>() =>
        typeof(T) == typeof(TDeclaring)
            ? (MemberAccessor<T>)(object)new MemberAccessor<TDeclaring, TMember>(this, Getter, Setter)
            : new MemberAccessor<T, TMember>(this, instance => Getter((TDeclaring)(object)instance!), Setter is null ? null : UpcastSetter<T>());

    // A member declared on a base class, used by a derived type's serializer (classes only: a struct has no base).
    private BsonMemberSetter<T, TMember> UpcastSetter<T>() => (ref T instance, TMember value) =>
    {
        var target = (TDeclaring)(object)instance!;
        Setter!(ref target, value);
    };
}

/// <summary>What describes a member, apart from its typed accessors (filled by generated code or the reflection resolver).</summary>
public abstract class BsonMemberInfoValues
{
    /// <summary>The CLR member name.</summary>
    public required string Name { get; init; }

    /// <summary>The element name, with naming convention and <see cref="BsonElementAttribute"/> applied (<c>_id</c> for the id).</summary>
    public required string ElementName { get; init; }

    /// <summary>The representation from <see cref="BsonRepresentationAttribute"/>, if any.</summary>
    public BsonType? Representation { get; init; }

    /// <summary>Whether the member is the id.</summary>
    public bool IsId { get; init; }

    /// <summary>Whether the member is the extra-elements member.</summary>
    public bool IsExtraElements { get; init; }

    /// <summary>Whether a null value is not written.</summary>
    public bool IgnoreIfNull { get; init; }

    /// <summary>Whether a default value is not written.</summary>
    public bool IgnoreIfDefault { get; init; }

    /// <summary>Whether reading fails when the element is absent.</summary>
    public bool IsRequired { get; init; }
}

/// <summary>The description of a member of <typeparamref name="TDeclaring"/> of type <typeparamref name="TMember"/>.</summary>
/// <typeparam name="TDeclaring">The declaring type.</typeparam>
/// <typeparam name="TMember">The member type.</typeparam>
public sealed class BsonMemberInfoValues<TDeclaring, TMember> : BsonMemberInfoValues
{
    /// <summary>Reads the member.</summary>
    public required Func<TDeclaring, TMember> Getter { get; init; }

    /// <summary>Sets the member, or null when only a constructor sets it.</summary>
    public BsonMemberSetter<TDeclaring, TMember>? Setter { get; init; }

    /// <summary>The member's model, representation applied.</summary>
    public required BsonTypeInfo<TMember> TypeInfo { get; init; }
}
