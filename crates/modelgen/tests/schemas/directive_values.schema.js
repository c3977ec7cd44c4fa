export const schema = {
    "models": {
        "Cfg": {
            "name": "Cfg",
            "fields": {
                "id": {
                    "name": "id",
                    "isArray": false,
                    "type": "ID",
                    "isRequired": true,
                    "attributes": []
                },
                "createdAt": {
                    "name": "createdAt",
                    "isArray": false,
                    "type": "AWSDateTime",
                    "isRequired": false,
                    "attributes": [],
                    "isReadOnly": true
                },
                "updatedAt": {
                    "name": "updatedAt",
                    "isArray": false,
                    "type": "AWSDateTime",
                    "isRequired": false,
                    "attributes": [],
                    "isReadOnly": true
                }
            },
            "syncable": true,
            "pluralName": "Cfgs",
            "attributes": [
                {
                    "type": "model",
                    "properties": {
                        "subscriptions": {
                            "level": "off"
                        },
                        "queries": {
                            "get": "getCfg"
                        }
                    }
                },
                {
                    "type": "ttl",
                    "properties": {
                        "seconds": 3600,
                        "ratio": 0.25,
                        "big": 12345678901234,
                        "neg": -7,
                        "exp": 1000,
                        "flag": true,
                        "nothing": null,
                        "list": [
                            1,
                            "two",
                            "THREE",
                            {
                                "four": 4
                            }
                        ],
                        "obj": {
                            "a": {
                                "b": []
                            }
                        }
                    }
                }
            ]
        }
    },
    "enums": {},
    "nonModels": {},
    "codegenVersion": "3.4.4",
    "version": "affd7805b77062eb9b57e0eec8cf99b2"
};