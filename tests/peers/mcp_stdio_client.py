"""Launches a generated stdio MCP server with the Python MCP SDK's stdio client and lists its tools.

Usage: python mcp_stdio_client.py SERVER_BINARY EXPECTED_TOOL
"""

import asyncio
import sys

from mcp import Client, StdioServerParameters


async def main(binary: str, expected: str) -> None:
    async with Client(StdioServerParameters(command=binary, args=[])) as client:
        tools = await client.list_tools()
        names = [t.name for t in tools.tools]
        assert expected in names, names
        tool = next(t for t in tools.tools if t.name == expected)
        assert tool.input_schema.get("type") == "object", tool.input_schema
        print(f"ok: stdio: tools/list: {names}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
