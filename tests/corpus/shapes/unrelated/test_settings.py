from app.settings import Settings


def test_default_model_is_current():
    assert Settings().claude_model.startswith("claude-")


def test_messages_shape():
    messages = [{"role": "user", "content": "hi"}]
    assert messages[0]["role"] == "user"
