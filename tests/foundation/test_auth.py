def test_home_renders(client):
    assert client.get("/").status_code == 200


def test_login_and_logout(client, staff):
    response = client.sign_in("NURSE@example.org", "correct horse battery staple")
    assert response.status_code == 302
    assert "Sam" in client.get("/").get_data(as_text=True)
    assert client.sign_out().status_code == 302
