namespace Mongo.Bson.Serialization;

/// <summary>
/// One member's read and write path inside <see cref="ObjectSerializer{T}"/>: typed, so value-type members are never
/// boxed on the hot path (only constructor-bound values are buffered as objects).
/// </summary>
internal abstract class MemberAccessor<T>
{
    protected MemberAccessor(BsonMemberInfo info)
    {
        Info = info;
        Utf8Name = info.Utf8ElementName.ToArray();
    }

    public BsonMemberInfo Info { get; }

    public byte[] Utf8Name { get; }

    public abstract bool CanSet { get; }

    /// <summary>Writes the element (name and value) unless an ignore policy skips it.</summary>
    public abstract void Write(BsonWriter writer, T instance);

    /// <summary>Reads the value at the reader's token and sets it on <paramref name="instance"/> (discards it when there is no setter).</summary>
    public abstract void Read(ref BsonReader reader, ref T instance);

    public abstract object? ReadBoxed(ref BsonReader reader);

    public abstract object? GetBoxed(T instance);

    public abstract void SetBoxed(ref T instance, object? value);
}

/// <summary>The accessor of a member of type <typeparamref name="TMember"/>.</summary>
internal sealed class MemberAccessor<T, TMember> : MemberAccessor<T>
{
    private readonly Func<T, TMember> _getter;
    private readonly BsonMemberSetter<T, TMember>? _setter;
    private readonly IBsonSerializer<TMember> _serializer;
    private readonly bool _ignoreIfNull;
    private readonly bool _ignoreIfDefault;

    public MemberAccessor(BsonMemberInfo info, Func<T, TMember> getter, BsonMemberSetter<T, TMember>? setter)
        : base(info)
    {
        _getter = getter;
        _setter = setter;
        _serializer = ((BsonTypeInfo<TMember>)info.MemberTypeInfo).Serializer;
        _ignoreIfNull = info.IgnoreIfNull;
        _ignoreIfDefault = info.IgnoreIfDefault;
    }

    public override bool CanSet => _setter is not null;

    public override void Write(BsonWriter writer, T instance)
    {
        TMember value = _getter(instance);
        if ((_ignoreIfNull || _ignoreIfDefault) && value is null)
        {
            return;
        }

        if (_ignoreIfDefault && EqualityComparer<TMember>.Default.Equals(value, default!))
        {
            return;
        }

        writer.WriteTrustedName(Utf8Name);
        _serializer.Serialize(writer, value);
    }

    public override void Read(ref BsonReader reader, ref T instance)
    {
        TMember value = _serializer.Deserialize(ref reader);
        _setter?.Invoke(ref instance, value);
    }

    public override object? ReadBoxed(ref BsonReader reader) => _serializer.Deserialize(ref reader);

    public override object? GetBoxed(T instance) => _getter(instance);

    public override void SetBoxed(ref T instance, object? value) => _setter?.Invoke(ref instance, (TMember)value!);
}
