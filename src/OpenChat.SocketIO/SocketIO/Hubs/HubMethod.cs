using System.Reflection;

namespace OpenChat.SocketIO;

/// <summary>One event handler method of a hub: how to fill its parameters and how to wait for what it returns.</summary>
internal sealed class HubMethod
{
    private static readonly MethodInfo AwaitTaskOf = typeof(HubMethod).GetMethod(nameof(AwaitTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo AwaitValueTaskOf = typeof(HubMethod).GetMethod(nameof(AwaitValueTask), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly MethodInfo _method;
    private readonly Func<EventContext, object?>[] _parameters;
    private readonly Func<object?, ValueTask<object?>> _await;

    public HubMethod(Type hub, MethodInfo method, string eventName)
    {
        _method = method;
        EventName = eventName;
        var position = 0;
        _parameters = [.. method.GetParameters().Select(p => Bind(hub, method, p, ref position))];
        (_await, HasResult) = AwaiterFor(hub, method);
    }

    public string EventName { get; }

    /// <summary>Whether the method returns a value (sent as the acknowledgement's argument).</summary>
    public bool HasResult { get; }

    /// <summary>Calls the method on <paramref name="hub"/> and waits for it; returns its value, or null.</summary>
    public ValueTask<object?> InvokeAsync(SocketIOHub hub, EventContext context)
    {
        var values = new object?[_parameters.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _parameters[i](context);
        }

        var returned = _method.Invoke(hub, BindingFlags.DoNotWrapExceptions, binder: null, values, culture: null);
        return _await(returned);
    }

    private static Func<EventContext, object?> Bind(Type hub, MethodInfo method, ParameterInfo parameter, ref int position)
    {
        var type = parameter.ParameterType;
        if (type.IsByRef || parameter.IsOut)
        {
            throw new InvalidOperationException($"{hub.Name}.{method.Name}: parameter {parameter.Name} is by reference; event arguments are read by value.");
        }

        if (type == typeof(CancellationToken))
        {
            return static c => c.Socket.DisconnectToken;
        }

        if (type == typeof(EventContext))
        {
            return static c => c;
        }

        if (type == typeof(SocketIOSocket))
        {
            return static c => c.Socket;
        }

        if (type == typeof(EventArguments))
        {
            return static c => c.Arguments;
        }

        var index = position++;
        if (!parameter.HasDefaultValue)
        {
            return c => c.Arguments.Get(index, type);
        }

        var fallback = parameter.DefaultValue is null && type.IsValueType ? Activator.CreateInstance(type) : parameter.DefaultValue;
        return c => index < c.Arguments.Count ? c.Arguments.Get(index, type) : fallback;
    }

    private static (Func<object?, ValueTask<object?>> Await, bool HasResult) AwaiterFor(Type hub, MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(void))
        {
            return (static _ => ValueTask.FromResult<object?>(null), false);
        }

        if (type == typeof(Task))
        {
            return (static async t =>
            {
                await (Task)t!;
                return null;
            }, false);
        }

        if (type == typeof(ValueTask))
        {
            return (static async t =>
            {
                await (ValueTask)t!;
                return null;
            }, false);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition && (definition == typeof(Task<>) || definition == typeof(ValueTask<>)))
        {
            var awaiter = (definition == typeof(Task<>) ? AwaitTaskOf : AwaitValueTaskOf).MakeGenericMethod(type.GetGenericArguments()[0]);
            return (awaiter.CreateDelegate<Func<object?, ValueTask<object?>>>(), true);
        }

        if (typeof(Task).IsAssignableFrom(type) || type.Name.StartsWith("IAsyncEnumerable", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{hub.Name}.{method.Name} returns {type.Name}; a hub method returns nothing, a value, Task, ValueTask, Task<T> or ValueTask<T>.");
        }

        return (static value => ValueTask.FromResult(value), true);
    }

    private static async ValueTask<object?> AwaitTask<T>(object? task) => await (Task<T>)task!;

    private static async ValueTask<object?> AwaitValueTask<T>(object? task) => await (ValueTask<T>)task!;
}
