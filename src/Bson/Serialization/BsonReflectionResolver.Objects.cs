using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Mongo.Bson.Serialization;

public sealed partial class BsonReflectionResolver
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private static readonly MethodInfo CreateMemberMethod = Method(nameof(CreateMember));

    private BsonTypeInfo<T> CreateObject<T>()
    {
        Type type = typeof(T);
        ConstructorInfo? constructor = ChooseConstructor(type);
        ParameterInfo[] parameters = constructor?.GetParameters() ?? [];
        List<MemberInfo> candidates = FindMembers(type, parameters, out MemberInfo? idMember);
        var bound = new Dictionary<ParameterInfo, MemberInfo>();
        foreach (ParameterInfo parameter in parameters)
        {
            MemberInfo? member = candidates.Find(m => string.Equals(m.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
            bound[parameter] = member ?? throw new NotSupportedException(
                $"The constructor parameter '{parameter.Name}' of {type} matches no member (parameters bind to members by name, case-insensitively).");
        }

        Func<T>? creator = null;
        Func<object?[], T>? parameterized = null;
        if (parameters.Length > 0)
        {
            ParameterExpression args = Expression.Parameter(typeof(object[]), "args");
            IEnumerable<Expression> arguments = parameters.Select(p =>
                (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(p.Position)), p.ParameterType));
            parameterized = Expression.Lambda<Func<object?[], T>>(Expression.New(constructor!, arguments), args).Compile();
        }
        else if (type.IsValueType)
        {
            creator = static () => default!;
        }
        else if (constructor is not null && !type.IsAbstract)
        {
            creator = Expression.Lambda<Func<T>>(Expression.New(constructor)).Compile();
        }

        Type[] known = KnownTypes(type);
        var values = new BsonObjectInfoValues<T>
        {
            ObjectCreator = creator,
            ParameterizedCreator = parameterized,
            ConstructorParameters = parameters.Length == 0 ? null : [.. parameters.Select(p => new BsonParameterInfoValues
            {
                Name = p.Name!,
                ParameterType = p.ParameterType,
                Position = p.Position,
                MemberName = bound[p].Name,
                HasDefaultValue = p.HasDefaultValue,
                DefaultValue = p.HasDefaultValue ? p.DefaultValue ?? (p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null) : null,
            })],
            MembersFactory = () => [.. candidates.Select(m => CreateMemberInfo(type, m, m == idMember))],
            Discriminator = IsInHierarchy(type) ? type.GetCustomAttribute<BsonDiscriminatorAttribute>()?.Discriminator ?? type.Name : null,
            DerivedTypesFactory = known.Length == 0 ? null : () => [.. known.Select(Get)],
        };
        return BsonMetadataServices.CreateObjectInfo(Options, values);
    }

    private BsonMemberInfo CreateMemberInfo(Type declaring, MemberInfo member, bool isId)
    {
        Type memberType = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
        try
        {
            return (BsonMemberInfo)CreateMemberMethod.MakeGenericMethod(declaring, memberType).Invoke(this, [member, isId])!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    private BsonMemberInfo<T, TMember> CreateMember<T, TMember>(MemberInfo member, bool isId)
    {
        BsonType? representation = member.GetCustomAttribute<BsonRepresentationAttribute>()?.Representation;
        string elementName = isId ? "_id" : member.GetCustomAttribute<BsonElementAttribute>()?.ElementName ?? Options.ConvertName(member.Name);
        var typeInfo = (BsonTypeInfo<TMember>)(representation is null ? Get(typeof(TMember)) : Create(typeof(TMember), representation));
        return BsonMetadataServices.CreateMemberInfo(new BsonMemberInfoValues<T, TMember>
        {
            Name = member.Name,
            ElementName = elementName,
            Representation = representation,
            IsId = isId,
            IsExtraElements = member.IsDefined(typeof(BsonExtraElementsAttribute)),
            IgnoreIfNull = member.IsDefined(typeof(BsonIgnoreIfNullAttribute)),
            IgnoreIfDefault = member.IsDefined(typeof(BsonIgnoreIfDefaultAttribute)),
            IsRequired = member.IsDefined(typeof(BsonRequiredAttribute)) || member.IsDefined(typeof(RequiredMemberAttribute)),
            Getter = Getter<T, TMember>(member),
            Setter = Setter<T, TMember>(member),
            TypeInfo = typeInfo,
        });
    }

    private static Func<T, TMember> Getter<T, TMember>(MemberInfo member)
    {
        if (!typeof(T).IsValueType && member is PropertyInfo { GetMethod: { } get } && get.ReturnType == typeof(TMember))
        {
            // A direct open-instance delegate: as fast as a virtual call, no closure.
            return get.CreateDelegate<Func<T, TMember>>();
        }

        ParameterExpression instance = Expression.Parameter(typeof(T), "instance");
        return Expression.Lambda<Func<T, TMember>>(Expression.MakeMemberAccess(instance, member), instance).Compile();
    }

    private static BsonMemberSetter<T, TMember>? Setter<T, TMember>(MemberInfo member)
    {
        switch (member)
        {
            case PropertyInfo { SetMethod: null }:
                return null;
            case FieldInfo { IsInitOnly: true } field:
                // A readonly field outside the constructor: only reflection can set it (rare; [BsonElement] on a readonly field).
                return typeof(T).IsValueType ? null : (ref T instance, TMember value) => field.SetValue(instance, value);
        }

        // Compiled assignments work for init-only setters too (the init modifier is a compile-time rule).
        ParameterExpression instance = Expression.Parameter(typeof(T).MakeByRefType(), "instance");
        ParameterExpression value = Expression.Parameter(typeof(TMember), "value");
        return Expression.Lambda<BsonMemberSetter<T, TMember>>(
            Expression.Assign(Expression.MakeMemberAccess(instance, member), value), instance, value).Compile();
    }

    private static ConstructorInfo? ChooseConstructor(Type type)
    {
        ConstructorInfo[] all = type.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        if (Array.Find(all, c => c.IsDefined(typeof(BsonConstructorAttribute))) is { } marked)
        {
            return marked;
        }

        ConstructorInfo[] publics = Array.FindAll(all, c => c.IsPublic);
        ConstructorInfo? parameterless = Array.Find(publics, c => c.GetParameters().Length == 0);
        if (parameterless is not null)
        {
            return parameterless;
        }

        // The single public constructor (a record's positional one); a struct without one starts from default.
        return publics.Length == 1 ? publics[0] : null;
    }

    /// <summary>Rules 1-3: the serialized members, most-base type first, fields before properties, opted-in members after the read-write ones (as the official class map orders them), then by [BsonElement(Order)]; and the id.</summary>
    private static List<MemberInfo> FindMembers(Type type, ParameterInfo[] parameters, out MemberInfo? idMember)
    {
        var chain = new List<Type>();
        for (Type? t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        bool IsParameter(MemberInfo m) => parameters.Any(p => string.Equals(p.Name, m.Name, StringComparison.OrdinalIgnoreCase));
        bool Opted(MemberInfo m) => m.IsDefined(typeof(BsonElementAttribute)) || m.IsDefined(typeof(BsonIdAttribute)) || m.IsDefined(typeof(BsonExtraElementsAttribute));

        // Per type, as the official class map's conventions add them: read-write members first (fields, then
        // properties), then members that are only in because of an attribute or a constructor parameter.
        var members = new List<MemberInfo>();
        foreach (Type t in chain)
        {
            var later = new List<MemberInfo>();
            foreach (FieldInfo field in t.GetFields(Declared).OrderBy(f => f.MetadataToken))
            {
                if (field.IsDefined(typeof(BsonIgnoreAttribute)) || field.IsDefined(typeof(CompilerGeneratedAttribute)) || field.IsLiteral)
                {
                    continue;
                }

                if (field.IsPublic && !field.IsInitOnly)
                {
                    members.Add(field);
                }
                else if (Opted(field) || (field.IsPublic && IsParameter(field)))
                {
                    later.Add(field);
                }
            }

            foreach (PropertyInfo property in t.GetProperties(Declared).OrderBy(p => p.MetadataToken))
            {
                MethodInfo? get = property.GetMethod;
                if (get is null || property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(BsonIgnoreAttribute)) ||
                    get.GetBaseDefinition() != get || members.Exists(m => m.Name == property.Name))
                {
                    continue;
                }

                if (get.IsPublic && property.SetMethod is not null)
                {
                    members.Add(property);
                }
                else if (Opted(property) || (get.IsPublic && IsParameter(property)))
                {
                    later.Add(property);
                }
            }

            members.AddRange(later);
        }

        // A stable sort by [BsonElement(Order)]; unordered members keep their place after the ordered ones.
        List<MemberInfo> ordered = [.. members.Select((m, i) => (m, i))
            .OrderBy(x => x.m.GetCustomAttribute<BsonElementAttribute>()?.Order ?? int.MaxValue).ThenBy(x => x.i).Select(x => x.m)];
        int id = ordered.FindIndex(m => m.IsDefined(typeof(BsonIdAttribute)));
        if (id < 0)
        {
            id = ordered.FindIndex(m => m.Name is "Id" or "id" or "_id");
        }

        // The id keeps its declared place in the model: the official driver writes it first only in a root document
        // (which ObjectSerializer does), and in declaration order inside embedded documents.
        idMember = id < 0 ? null : ordered[id];

        return ordered;
    }

    /// <summary>The known derived types, transitively (a known type's own known types too).</summary>
    private static Type[] KnownTypes(Type type)
    {
        var result = new List<Type>();
        var pending = new Queue<Type>([type]);
        while (pending.TryDequeue(out Type? current))
        {
            foreach (BsonKnownTypesAttribute attribute in current.GetCustomAttributes<BsonKnownTypesAttribute>(inherit: false))
            {
                foreach (Type known in attribute.KnownTypes)
                {
                    if (!type.IsAssignableFrom(known))
                    {
                        throw new NotSupportedException($"[BsonKnownTypes] on {current} names {known}, which does not derive from {type}.");
                    }

                    if (known != type && !result.Contains(known))
                    {
                        result.Add(known);
                        pending.Enqueue(known);
                    }
                }
            }
        }

        return [.. result];
    }

    private static bool IsInHierarchy(Type type)
    {
        if (type.IsDefined(typeof(BsonKnownTypesAttribute), inherit: false) || type.IsDefined(typeof(BsonDiscriminatorAttribute), inherit: false))
        {
            return true;
        }

        for (Type? t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsDefined(typeof(BsonKnownTypesAttribute), inherit: false))
            {
                return true;
            }
        }

        return type.GetInterfaces().Any(i => i.IsDefined(typeof(BsonKnownTypesAttribute), inherit: false));
    }
}
