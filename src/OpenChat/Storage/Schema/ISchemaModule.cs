namespace OpenChat.Storage.Schema;

/// <summary>
/// The tables of one feature (history now; accounts, avatars later), as an ordered list of migrations. Each
/// module keeps its own version in the database, so features add tables without renumbering each other's
/// steps. Register modules in DI (<c>services.AddSingleton&lt;ISchemaModule, MyModule&gt;()</c>); they are
/// brought up to date in registration order when the app starts, so a module may use tables of the
/// modules registered before it.
/// </summary>
public interface ISchemaModule
{
    /// <summary>A short, fixed name (e.g. <c>history</c>); the database records its version under it.</summary>
    string Name { get; }

    /// <summary>The steps, versions 1, 2, 3, ... in order. A step, once released, never changes: add another.</summary>
    IReadOnlyList<SchemaMigration> Migrations { get; }
}
