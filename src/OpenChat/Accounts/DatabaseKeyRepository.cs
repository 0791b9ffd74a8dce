using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using OpenChat.Storage;

namespace OpenChat.Accounts;

/// <summary>
/// Keeps ASP.NET Core's data protection keys (which sign-in cookies and antiforgery tokens are encrypted
/// with) in the chat's database, so every instance sharing it can read every other's cookies and a restart,
/// or a host whose home folder is off limits (systemd's <c>ProtectHome</c>), signs nobody out. The keys are
/// stored as the framework writes them, which on Linux is unencrypted: the database deserves the care of a
/// secret. The interface is synchronous, hence the synchronous connection.
/// </summary>
internal sealed class DatabaseKeyRepository(ChatDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        try
        {
            using var connection = database.OpenConnection();
            using var command = ChatDatabase.Command(connection, null, "SELECT xml FROM data_protection_keys ORDER BY id");
            using var reader = command.ExecuteReader();
            var keys = new List<XElement>();
            while (reader.Read())
            {
                keys.Add(XElement.Parse(reader.GetString(0)));
            }

            return keys;
        }
        catch (Exception e)
        {
            throw database.Explain(e, "reading the sign-in keys");
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        try
        {
            using var connection = database.OpenConnection();
            using var command = ChatDatabase.Command(connection, null, "INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml)");
            ChatDatabase.Parameter(command, "name", friendlyName);
            ChatDatabase.Parameter(command, "xml", element.ToString(SaveOptions.DisableFormatting));
            command.ExecuteNonQuery();
        }
        catch (Exception e)
        {
            throw database.Explain(e, "storing a sign-in key");
        }
    }
}
