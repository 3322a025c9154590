"""The public form asks about the icare behaviours in the patient's own language."""

import pytest


@pytest.mark.parametrize(
    ("language", "prompt"),
    [
        ("es", "Me ayudó cuando me vio perdido"),
        ("pt", "Ajudou-me quando me viu perdido"),
        ("ht", "Li ede m lè l te wè m te pèdi"),
        ("zh-CN", "我迷路时，他们帮助了我"),
        ("en", "They helped when I looked lost"),
    ],
)
def test_behaviour_prompts_follow_the_language(client, hospital, language, prompt):
    page = client.get("/feedback", headers={"Accept-Language": language})
    assert page.status_code == 200
    assert prompt in page.get_data(as_text=True)
