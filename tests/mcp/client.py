"""A real MCP client for tests/it/mcp.rs: the official Python SDK's stdio client.

Usage: client.py [--transcript FILE] COMMAND [ARG...] < calls.json

Starts COMMAND as an MCP server over stdio, initializes a session, lists the tools, then
makes each call in calls.json (a JSON list of {"tool": NAME, "arguments": {...}}) and prints
one JSON object on stdout:

    {"server": {"name", "version"}, "protocol_version": "...",
     "tools": [tool as listed, in camelCase as on the wire],
     "results": [{"is_error", "text": [text contents], "structured"} | {"error": {"code", "message"}}]}

The SDK validates every structured result against the tool's output schema; a result that
does not match it is reported as {"client_error": "..."}. The assertions live in tests/it/mcp.rs.
With --transcript, every JSON-RPC message is also written to FILE as it crosses the wire.
"""

import json
import sys

import anyio
from mcp import ClientSession, MCPError, StdioServerParameters, stdio_client


def dump(model):
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def tap(read, write, log, task_group):
    """Streams that pass every message through, logging it with its direction."""
    to_session, from_server = anyio.create_memory_object_stream(16)
    to_server, from_session = anyio.create_memory_object_stream(16)

    async def inbound():
        async with to_session:
            async for message in read:
                if not isinstance(message, Exception):
                    log("server -> client", message.message)
                await to_session.send(message)

    async def outbound():
        async with from_session:
            async for message in from_session:
                log("client -> server", message.message)
                await write.send(message)

    task_group.start_soon(inbound)
    task_group.start_soon(outbound)
    return from_server, to_server


async def main(argv):
    transcript = None
    if argv[:1] == ["--transcript"]:
        transcript = open(argv[1], "w", encoding="utf-8")
        argv = argv[2:]
    calls = json.load(sys.stdin)

    def log(direction, message):
        if transcript is not None:
            transcript.write(f"{direction}: {message.model_dump_json(by_alias=True, exclude_unset=True)}\n")

    server = StdioServerParameters(command=argv[0], args=argv[1:])
    async with stdio_client(server) as (read, write), anyio.create_task_group() as tasks:
        read, write = tap(read, write, log, tasks)
        async with ClientSession(read, write, read_timeout_seconds=60) as session:
            init = await session.initialize()
            listed = await session.list_tools()
            results = []
            for call in calls:
                try:
                    result = await session.call_tool(call["tool"], call.get("arguments"))
                except MCPError as error:
                    results.append({"error": {"code": error.code, "message": error.message}})
                    continue
                except RuntimeError as error:
                    results.append({"client_error": str(error)})
                    continue
                results.append(
                    {
                        "is_error": bool(result.is_error),
                        "text": [c.text for c in result.content if c.type == "text"],
                        "structured": result.structured_content,
                    }
                )
        tasks.cancel_scope.cancel()
    if transcript is not None:
        transcript.close()
    json.dump(
        {
            "server": {"name": init.server_info.name, "version": init.server_info.version},
            "protocol_version": init.protocol_version,
            "tools": [dump(tool) for tool in listed.tools],
            "results": results,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    anyio.run(main, sys.argv[1:])
