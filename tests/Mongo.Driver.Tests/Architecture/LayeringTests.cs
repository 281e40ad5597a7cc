using System.Reflection;
using System.Reflection.Emit;
using Mongo.Driver.Operations;
using Xunit;

namespace Mongo.Driver.Tests.Architecture;

/// <summary>
/// Dependencies point one way inside the driver: the wire format (<c>Wire/</c>), connections (<c>Connections/</c>) and the
/// server monitors know nothing of operations (<c>Operations/</c>), which build on them. Checked on the compiled
/// assembly — signatures, fields (async state machines keep their locals there) and every member a method body names —
/// so a reference cannot hide in a method body or behind a <c>var</c>.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly s_driver = typeof(MongoClient).Assembly;

    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    [Fact]
    public void Wire_connections_and_monitors_reference_nothing_in_operations()
    {
        List<Type> lower = s_driver.GetTypes().Where(IsLowerLayer).ToList();
        var violations = new List<string>();
        foreach (Type type in lower)
        {
            foreach ((string where, Type referenced) in References(type))
            {
                if (IsOperations(referenced))
                {
                    violations.Add(type.FullName + " " + where + " -> " + referenced.FullName);
                }
            }
        }

        // The scan must see the layer it guards (Connection, its partials' state machines, OpMsgWriter, ServerMonitor, ...).
        Assert.Contains(lower, t => t.FullName == "Mongo.Driver.Connections.Connection");
        Assert.Contains(lower, t => t.FullName == "Mongo.Driver.Wire.OpMsgWriter");
        Assert.Contains(lower, t => t.FullName == "Mongo.Driver.Topology.RttMonitor");
        Assert.Contains(lower, t => t.FullName!.StartsWith("Mongo.Driver.Topology.ServerMonitor+", StringComparison.Ordinal));
        Assert.True(violations.Count == 0, "Lower layers reference Operations:\n" + string.Join("\n", violations.Distinct()));
    }

    [Fact]
    public void The_scan_finds_references_made_only_inside_async_method_bodies()
    {
        // Connection names ExceptionFactory only inside async methods (their state machines' MoveNext), and the executor
        // names CommandExtras only as a local of one: proof that the scan above would catch such a reference to Operations.
        Assert.Contains(typeof(Mongo.Driver.Connections.ExceptionFactory), ReferencesWithNested(typeof(Mongo.Driver.Connections.Connection)));
        List<Type> fromExecutor = ReferencesWithNested(typeof(OperationExecutor));
        Assert.Contains(typeof(Mongo.Driver.Connections.CommandExtras), fromExecutor);
        Assert.Contains(typeof(Mongo.Driver.Connections.IWireCommand), fromExecutor);
    }

    private static List<Type> ReferencesWithNested(Type type) =>
        type.GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public).Prepend(type).SelectMany(References).Select(r => r.Type).ToList();

    private static bool IsLowerLayer(Type type)
    {
        Type outer = type;
        while (outer.DeclaringType is { } declaring)
        {
            outer = declaring;
        }

        return outer.Namespace switch
        {
            "Mongo.Driver.Wire" or "Mongo.Driver.Connections" => true,
            "Mongo.Driver.Topology" => outer.Name.StartsWith("ServerMonitor", StringComparison.Ordinal) || outer.Name == "RttMonitor",
            _ => false,
        };
    }

    private static bool IsOperations(Type type) =>
        type.Namespace is { } ns && (ns == "Mongo.Driver.Operations" || ns.StartsWith("Mongo.Driver.Operations.", StringComparison.Ordinal));

    /// <summary>Every type <paramref name="type"/> names: base, interfaces, members' signatures and what its method bodies touch.</summary>
    private static IEnumerable<(string Where, Type Type)> References(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<(string, Type)>();
        void Add(string where, Type? t)
        {
            foreach (Type part in Expand(t))
            {
                found.Add((where, part));
            }
        }

        Add("base", type.BaseType);
        foreach (Type implemented in type.GetInterfaces())
        {
            Add("implements", implemented);
        }

        foreach (FieldInfo field in type.GetFields(all))
        {
            Add("field " + field.Name, field.FieldType);
        }

        foreach (PropertyInfo property in type.GetProperties(all))
        {
            Add("property " + property.Name, property.PropertyType);
        }

        foreach (MethodBase method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            string where = "method " + method.Name;
            if (method is MethodInfo info)
            {
                Add(where + " returns", info.ReturnType);
            }

            foreach (ParameterInfo parameter in method.GetParameters())
            {
                Add(where + " parameter " + parameter.Name, parameter.ParameterType);
            }

            foreach (LocalVariableInfo local in method.GetMethodBody()?.LocalVariables ?? [])
            {
                Add(where + " local", local.LocalType);
            }

            foreach (MemberInfo member in BodyReferences(method))
            {
                switch (member)
                {
                    case Type t:
                        Add(where + " body", t);
                        break;
                    case FieldInfo f:
                        Add(where + " body", f.DeclaringType);
                        Add(where + " body", f.FieldType);
                        break;
                    case MethodBase m:
                        Add(where + " body calls " + m.Name, m.DeclaringType);
                        if (m is MethodInfo mi)
                        {
                            Add(where + " body calls " + m.Name, mi.ReturnType);
                        }

                        foreach (ParameterInfo p in m.GetParameters())
                        {
                            Add(where + " body calls " + m.Name, p.ParameterType);
                        }

                        break;
                }
            }
        }

        return found;
    }

    /// <summary>A type with its element and generic argument types.</summary>
    private static IEnumerable<Type> Expand(Type? type)
    {
        if (type is null)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (Type element in Expand(type.GetElementType()))
            {
                yield return element;
            }

            yield break;
        }

        yield return type;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (Type argument in type.GetGenericArguments())
            {
                foreach (Type inner in Expand(argument))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>The types, fields and methods a method body's instructions name (call, newobj, ldfld, box, ldtoken, ...).</summary>
    private static IEnumerable<MemberInfo> BodyReferences(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[i++]));
            }

            OpCode code = s_opCodes[value];
            switch (code.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    int token = BitConverter.ToInt32(il, i);
                    i += 4;
                    yield return method.Module.ResolveMember(token, typeArguments, methodArguments)!;
                    break;
                default:
                    // InlineI, InlineBrTarget, InlineSig, InlineString, ShortInlineR: a 4-byte operand that names no member.
                    i += 4;
                    break;
            }
        }
    }
}
