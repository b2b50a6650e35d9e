"""The MCP interface: an assistant reads the project as one person may, and only proposes."""
