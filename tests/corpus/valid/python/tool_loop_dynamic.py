import anthropic

client = anthropic.Anthropic()


def run_tool(name, tool_input):
    return {"ok": True}


def agent(prompt, tools):
    messages = [{"role": "user", "content": prompt}]
    while True:
        response = client.messages.create(
            model="claude-opus-5",
            max_tokens=4096,
            tools=tools,
            messages=messages,
        )
        if response.stop_reason != "tool_use":
            return response
        messages.append({"role": "assistant", "content": response.content})
        results = []
        for block in response.content:
            if block.type == "tool_use":
                results.append(
                    {
                        "type": "tool_result",
                        "tool_use_id": block.id,
                        "content": str(run_tool(block.name, block.input)),
                    }
                )
        messages.append({"role": "user", "content": results})
